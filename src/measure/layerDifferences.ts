/**
 * D(k, t) of one layer, kept as a band of lags (docs/method.md §3): for every swap position k only the
 * measured words t = k .. k + maxLag are stored, never the dense N × N tensor.
 */
export interface LayerDifferences {
  /** The model layer (Hugging Face hidden_states numbering). */
  layer: number;
  /** Words per sequence (N); swap positions and measured words run over 0 .. N − 1. */
  wordCount: number;
  /** Largest lag t − k kept. */
  maxLag: number;
  /** Units of the layer. */
  width: number;
  /**
   * Row-major [wordCount × (maxLag + 1) × width]: entry (k, lag, u) is D(k, k + lag) of unit u, the mean over
   * the sequences swapped at k of |h(k + lag; swapped at k) − h(k + lag; original)|.
   * NaN where k + lag > N − 1 (past the sequence's end) and where no sequence had a swap at k.
   */
  values: Float64Array;
  /** Per swap position k: how many sequences had a swap there (a weighted count when formed from weights). */
  swapCounts: Float64Array;
}

/** Offset of D(k, k + lag) of unit 0 in `values`; unit u is at this offset + u. */
export function bandOffset(differences: Pick<LayerDifferences, 'maxLag' | 'width'>, swapPosition: number, lag: number): number {
  return (swapPosition * (differences.maxLag + 1) + lag) * differences.width;
}

/** D(k, t) of unit u, or NaN outside the band (t < k, t − k > maxLag, t ≥ N) or where k had no swap. */
export function differenceAt(differences: LayerDifferences, swapPosition: number, measuredWord: number, unit: number): number {
  const lag = measuredWord - swapPosition;
  if (lag < 0 || lag > differences.maxLag || measuredWord >= differences.wordCount || swapPosition < 0) return NaN;
  return differences.values[bandOffset(differences, swapPosition, lag) + unit];
}

/** Lags stored for a swap at k: min(maxLag, N − 1 − k) + 1 (the band is clipped at the sequence's end). */
export function bandLength(wordCount: number, maxLag: number, swapPosition: number): number {
  return Math.min(maxLag, wordCount - 1 - swapPosition) + 1;
}

/** D from band sums (laid out as `values`) and swap counts: NaN where no swap was made at k and past the sequence's end. */
export function differencesFromSums(
  layer: number,
  shape: { wordCount: number; width: number },
  maxLag: number,
  sums: Float64Array,
  swapCounts: Float64Array,
): LayerDifferences {
  const { wordCount, width } = shape;
  const values = new Float64Array(wordCount * (maxLag + 1) * width);
  const differences: LayerDifferences = { layer, wordCount, maxLag, width, values, swapCounts };
  for (let k = 0; k < wordCount; k++) {
    const rows = bandLength(wordCount, maxLag, k);
    for (let lag = 0; lag <= maxLag; lag++) {
      const offset = bandOffset(differences, k, lag);
      const defined = lag < rows && swapCounts[k] > 0;
      for (let u = 0; u < width; u++) values[offset + u] = defined ? sums[offset + u] / swapCounts[k] : NaN;
    }
  }
  return differences;
}
