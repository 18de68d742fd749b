import { describe, expect, it } from 'vitest';
import { computeLayerWindows } from '../../src/analysis/index.js';
import { OUTPUT_WINDOW, OutputReadout, PREDICTION_DIVERGENCE, ReadoutAccumulator } from '../../src/measure/index.js';
import { prediction, predictionChange } from '../../src/measure/predictionChange.js';

/** Log-probabilities the plain way (float64, no shortcuts): o_v = z_v − log Σ exp(z). */
function logProbabilities(logits: number[]): number[] {
  const largest = Math.max(...logits);
  const total = logits.reduce((sum, z) => sum + Math.exp(z - largest), 0);
  return logits.map((z) => z - largest - Math.log(total));
}

/** Σ_v |o′_v − o_v| and KL(p ‖ p′) written out from the definitions (docs/method.md §9). */
function definitions(original: number[], swapped: number[]): [number, number] {
  const o = logProbabilities(original), o2 = logProbabilities(swapped);
  const absolute = o.reduce((sum, value, v) => sum + Math.abs(o2[v] - value), 0);
  const divergence = o.reduce((sum, value, v) => sum + Math.exp(value) * (value - o2[v]), 0);
  return [absolute, divergence];
}

/** OutputReadout's internal prediction of an original row, through its public path. */
function changeOf(original: number[], swapped: number[]): [number, number] {
  const readout = new OutputReadout(new ReadoutAccumulator({ wordCount: 1, maxLag: 0, sequenceCount: 1 }));
  readout.onOriginalOutput(0, Float32Array.from(original));
  readout.onSwapOutput(0, 0, Float32Array.from(swapped));
  readout.onSequenceDone(0);
  return [readout.accumulator.differences(OUTPUT_WINDOW).values[0], readout.accumulator.differences(PREDICTION_DIVERGENCE).values[0]];
}

describe('the output read-out of one prediction', () => {
  it('gives Σ|Δ log p| and KL(p ‖ p′) as their definitions do, for small and for wide-ranging logits', () => {
    const cases: Array<[number[], number[]]> = [
      [[0, 0, 0, 0], [1, 0, 0, 0]],
      [[2, -1, 0.5, 3], [1.5, -0.5, 0.25, 3.25]],
      [[-100, -60, -80, -120, -61], [-101, -61, -79, -120, -60]],
    ];
    for (const [original, swapped] of cases) {
      const [absolute, divergence] = definitions(original, swapped);
      const [gotAbsolute, gotDivergence] = changeOf(original, swapped);
      expect(Math.abs(gotAbsolute / absolute - 1)).toBeLessThan(1e-6); // float32 storage of the kept value: 7 significant digits
      expect(Math.abs(gotDivergence - divergence) / divergence).toBeLessThan(1e-6);
    }
  });

  it('closed form: logits (c, 0, 0, 0) against zeros give |c − L| + 3L and L − c/4, with L = log(e^c + 3) − log 4', () => {
    for (const c of [0.1, 1, 5]) {
      const shift = Math.log(Math.exp(c) + 3) - Math.log(4);
      const [absolute, divergence] = changeOf([0, 0, 0, 0], [c, 0, 0, 0]);
      // Kept as float32 (as every difference is): 7 significant digits.
      expect(Math.abs(absolute / (Math.abs(c - shift) + 3 * shift) - 1)).toBeLessThan(1e-6);
      // KL(uniform ‖ p′) = Σ ¼ (log ¼ − o′_v) = L − c/4
      expect(Math.abs(divergence / (shift - c / 4) - 1)).toBeLessThan(1e-6);
    }
  });

  it('is zero for an unchanged prediction', () => {
    const logits = Float32Array.of(0.3, -2, 7, 1);
    expect(predictionChange(prediction(logits), logits)).toEqual([0, 0]);
    expect(changeOf(Array.from(logits), Array.from(logits))).toEqual([0, 0]);
  });
});

describe('the output read-out over a planted run', () => {
  it('recovers a planted window: the swap at k moves the prediction after word t by c(t − k), and the window is A(c(Δ)) / A(c(0))', () => {
    const words = 12, maxLag = 4, sequences = 3, vocabulary = 4;
    const planted = [3, 1.2, 0.6, 0.3, 0.1]; // c at lags 0..maxLag; the swap does nothing beyond maxLag
    const readout = new OutputReadout(new ReadoutAccumulator({ wordCount: words, maxLag, sequenceCount: sequences }));
    for (let s = 0; s < sequences; s++) {
      readout.onOriginalOutput(s, new Float32Array(words * vocabulary));
      for (let k = 0; k < words; k++) {
        const rows = Math.min(maxLag, words - 1 - k) + 1;
        const band = new Float32Array(rows * vocabulary);
        for (let lag = 0; lag < rows; lag++) band[lag * vocabulary] = planted[lag];
        readout.onSwapOutput(s, k, band);
      }
      readout.onSequenceDone(s);
    }
    const absoluteOf = (c: number) => definitions([0, 0, 0, 0], [c, 0, 0, 0]);
    for (const [quantity, pick] of [[OUTPUT_WINDOW, 0], [PREDICTION_DIVERGENCE, 1]] as const) {
      const windows = computeLayerWindows(readout.accumulator.differences(quantity), { minSwap: 2 });
      const expected = planted.map((c) => absoluteOf(c)[pick] / absoluteOf(planted[0])[pick]);
      expect(Array.from(windows.populationWindow!).map((w, lag) => w - expected[lag]).every((e) => Math.abs(e) < 1e-6)).toBe(true);
    }
  });
});
