/** [words × width]: row `row` of a [batch, sequenceLength, width] tap, averaged over each word's tokens. */
export function meanOverWords(
  tap: Float32Array,
  row: number,
  sequenceLength: number,
  width: number,
  spans: ReadonlyArray<readonly [number, number]>,
): Float32Array {
  const out = new Float32Array(spans.length * width);
  spans.forEach(([start, end], w) => {
    for (let t = start; t < end; t++) {
      const from = (row * sequenceLength + t) * width;
      for (let u = 0; u < width; u++) out[w * width + u] += tap[from + u];
    }
    const count = end - start;
    for (let u = 0; u < width; u++) out[w * width + u] /= count;
  });
  return out;
}
