import { describe, expect, it } from 'vitest';
import { computeLayerWindows } from '../../src/analysis/index.js';
import { bandOffset, FutureSide, reversedRows } from '../../src/measure/index.js';

/**
 * The future side of a bidirectional model kept by a second DifferenceAccumulator in mirrored word order: checked
 * against differences written out by hand, D(k, t) = |swapped at k, word t − original, word t| for t = k − Δ.
 */
const wordCount = 8;
const width = 2;
const maxLag = 3;

/** Original activations of word t, unit u, and the swapped ones when word k is swapped: distinct, known numbers. */
const original = (t: number, u: number) => 10 * t + u;
const swapped = (k: number, t: number, u: number) => original(t, u) + (u + 1) * (k + 1) * 0.01 + t * 0.001;

function nearestFirst(k: number): Float32Array {
  const rows = Math.min(k, maxLag) + 1;
  return Float32Array.from({ length: rows * width }, (_, i) => swapped(k, k - Math.floor(i / width), i % width));
}

describe('the future side in mirrored order', () => {
  it('holds D(k, k − Δ) at mirrored position N − 1 − k, lag Δ, and skips swaps before minSwap', () => {
    const minSwap = 2;
    const future = new FutureSide({ layers: [0], width, wordCount, maxLag, sequenceCount: 1 }, minSwap);
    future.onOriginal(0, 0, Float32Array.from({ length: wordCount * width }, (_, i) => original(Math.floor(i / width), i % width)));
    for (let k = 0; k < wordCount; k++) future.onFutureSwap(0, k, 0, nearestFirst(k));
    future.onSequenceDone(0);
    const d = future.mirrored.differences(0);
    for (let k = 0; k < wordCount; k++) {
      const mirrored = wordCount - 1 - k;
      expect(d.swapCounts[mirrored]).toBe(k < minSwap ? 0 : 1);
      if (k < minSwap) continue;
      for (let lag = 0; lag <= Math.min(k, maxLag); lag++) {
        for (let u = 0; u < width; u++) {
          const expected = Math.abs(swapped(k, k - lag, u) - original(k - lag, u));
          expect(d.values[bandOffset(d, mirrored, lag) + u]).toBeCloseTo(expected, 5);
        }
      }
    }
    // Windows with minSwap 0 in mirrored order measure the words t ≥ minSwap with t + maxLag ≤ N − 1, and no other.
    const windows = computeLayerWindows(d, { minSwap: 0 });
    expect(windows.measuredWords.map((m) => wordCount - 1 - m).sort((a, b) => a - b)).toEqual([2, 3, 4]);
  });

  it('reverses rows', () => {
    expect(Array.from(reversedRows(Float32Array.of(1, 2, 3, 4, 5, 6), 2))).toEqual([5, 6, 3, 4, 1, 2]);
  });
});
