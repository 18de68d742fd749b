import { DifferenceAccumulator, type AccumulatorOptions } from './differenceAccumulator.js';

/**
 * The future side of a bidirectional model's differences: D(k, t) for a swapped word k that comes Δ = k − t words
 * after the measured word t (Δ = 0..maxLag). It is the usual side of the sequence read backwards: numbering words
 * from the end, t′ = N − 1 − t and k′ = N − 1 − k, the swap lies Δ words before the measured word. So the future side
 * is kept by a second DifferenceAccumulator in that mirrored order, and every window, fit and bootstrap of the usual
 * side applies to it unchanged.
 *
 * Swaps at k < minSwap are never added: the future side measures the words t ≥ minSwap with t + maxLag ≤ N − 1, whose
 * swaps all lie at k ≥ minSwap. Read with minSwap 0 in mirrored order (t′ − maxLag ≥ 0), its measured words are then
 * exactly those (the mirrored words N − minSwap .. N − 1 lack a swap and are skipped).
 */
export class FutureSide {
  /** The differences in mirrored word order (word i of a sequence is row N − 1 − i). */
  readonly mirrored: DifferenceAccumulator;
  private readonly width: number;
  private readonly wordCount: number;

  constructor(options: AccumulatorOptions, private readonly minSwap: number) {
    this.mirrored = new DifferenceAccumulator(options);
    this.width = options.width;
    this.wordCount = options.wordCount;
  }

  /** The original's word activations [N × width], kept in mirrored order. */
  onOriginal(sequenceIndex: number, layer: number, words: Float32Array): void {
    this.mirrored.onOriginal(sequenceIndex, layer, reversedRows(words, this.width));
  }

  /** The swapped sequence's words k, k − 1, … (nearest first): in mirrored order, the band k′, k′ + 1, … */
  onFutureSwap(sequenceIndex: number, swapPosition: number, layer: number, nearestFirst: Float32Array): void {
    if (swapPosition < this.minSwap) return;
    this.mirrored.onSwap(sequenceIndex, this.wordCount - 1 - swapPosition, layer, nearestFirst);
  }

  onSequenceDone(sequenceIndex: number): void {
    this.mirrored.onSequenceDone(sequenceIndex);
  }
}

/** Rows of a row-major [rows × width] array in reverse order. */
export function reversedRows(values: Float32Array, width: number): Float32Array {
  const rows = values.length / width;
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) out.set(values.subarray(r * width, (r + 1) * width), (rows - 1 - r) * width);
  return out;
}
