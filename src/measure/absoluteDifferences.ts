/** The accumulator's hot loop: absolute differences of a swapped band from the original, added into band sums. */

/** Where the band starts in each array: the original's row k, the swapped band's first row, the output's (k, lag 0). */
export interface RowStarts {
  original: number;
  swapped: number;
  out: number;
}

/**
 * sums[(k, lag, u)] += |swapped row lag − original row k + lag| for the band's rows × width values. Lags are
 * consecutive rows in the output band as in both inputs, so this is one flat loop. One function per element
 * type keeps each loop monomorphic (fast) in V8.
 */
export function addToFloat64(sums: Float64Array, original: Float32Array, swapped: Float32Array, count: number, at: RowStarts): void {
  const { out, swapped: from, original: base } = at;
  for (let i = 0; i < count; i++) sums[out + i] += Math.abs(swapped[from + i] - original[base + i]);
}

/** Both at once, each difference computed once: the pooled float64 sums and a sequence's float32 band. */
export function addToFloat64AndFloat32(pooled: Float64Array, kept: Float32Array, original: Float32Array, swapped: Float32Array, count: number, at: RowStarts): void {
  const { out, swapped: from, original: base } = at;
  for (let i = 0; i < count; i++) {
    const difference = Math.abs(swapped[from + i] - original[base + i]);
    pooled[out + i] += difference;
    kept[out + i] += difference;
  }
}
