/**
 * Synthetic differences with known windows, for the analysis tests. Not a test file itself.
 *
 * Planted differences: D_u(k, t) = scale_u · wordFactor(t) · g_u(t − k) for 0 ≤ t − k ≤ maxLag. Then
 * W_u(Δ; t) = D_u(t − Δ, t) / D_u(t, t) = g_u(Δ) / g_u(0) at every t, whatever the unit's scale and the
 * measured word's factor, so the unit window, and the population window (their mean over units), are known.
 */
import { bandLength, bandOffset, DifferenceAccumulator, type KeepSequences, type LayerDifferences } from '../../src/measure/index.js';
import { windowCurve, type CurveParameters } from '../../src/analysis/index.js';
import type { RandomSource } from '../../src/util/random.js';

export interface PlantedShape {
  wordCount: number;
  maxLag: number;
  width: number;
  /** g_u(lag), with g_u(0) = 1; may also depend on the swap position k (e.g. windows cut at sentence boundaries). */
  window: (unit: number, lag: number, swapPosition: number) => number;
  scale?: (unit: number) => number;
  wordFactor?: (measuredWord: number) => number;
  /** Swap positions with no swap in any sequence (count 0). */
  missingSwaps?: number[];
  layer?: number;
}

export function plantedDifferences(shape: PlantedShape): LayerDifferences {
  const { wordCount, maxLag, width } = shape;
  const scale = shape.scale ?? (() => 1);
  const wordFactor = shape.wordFactor ?? (() => 1);
  const values = new Float64Array(wordCount * (maxLag + 1) * width).fill(NaN);
  const swapCounts = new Float64Array(wordCount).fill(10);
  for (const k of shape.missingSwaps ?? []) swapCounts[k] = 0;
  const differences: LayerDifferences = { layer: shape.layer ?? 1, wordCount, maxLag, width, values, swapCounts };
  for (let k = 0; k < wordCount; k++) {
    if (swapCounts[k] === 0) continue;
    for (let lag = 0; lag < bandLength(wordCount, maxLag, k); lag++) {
      for (let u = 0; u < width; u++) {
        values[bandOffset(differences, k, lag) + u] = scale(u) * wordFactor(k + lag) * shape.window(u, lag, k);
      }
    }
  }
  return differences;
}

/** A planted mixture window g(Δ) = f(Δ; a, b, c). */
export const curveWindow = (parameters: CurveParameters) => (_unit: number, lag: number) => windowCurve(parameters, lag);

export interface PlantedRun extends PlantedShape {
  sequences: number;
  layers: number[];
  /** Per-sequence differences are D_u(k, t) · (1 + noise·z), z uniform on [−√3, √3] (unit variance), per entry. */
  noise: number;
  random: RandomSource;
  keep: KeepSequences;
  /** Per layer, its planted window (default: shape.window for every layer). */
  windowOfLayer?: (layer: number) => PlantedShape['window'];
}

/**
 * Feeds an accumulator as an engine would: random original activations, and swapped bands that differ from
 * them by the planted per-sequence differences with a random sign.
 */
export function plantedRun(run: PlantedRun): DifferenceAccumulator {
  const { wordCount, maxLag, width, sequences, layers, random } = run;
  const accumulator = new DifferenceAccumulator({ layers, width, wordCount, maxLag, sequenceCount: sequences, keep: run.keep });
  const scale = run.scale ?? (() => 1);
  const wordFactor = run.wordFactor ?? (() => 1);
  for (let s = 0; s < sequences; s++) {
    for (const layer of layers) {
      const window = run.windowOfLayer?.(layer) ?? run.window;
      const original = Float32Array.from({ length: wordCount * width }, () => random() * 2 - 1);
      for (let k = 0; k < wordCount; k++) {
        if (run.missingSwaps?.includes(k)) continue;
        const rows = bandLength(wordCount, maxLag, k);
        const band = new Float32Array(rows * width);
        for (let lag = 0; lag < rows; lag++) {
          for (let u = 0; u < width; u++) {
            const z = (random() * 2 - 1) * Math.sqrt(3);
            const difference = scale(u) * wordFactor(k + lag) * window(u, lag, k) * (1 + run.noise * z);
            const sign = random() < 0.5 ? -1 : 1;
            band[lag * width + u] = original[(k + lag) * width + u] + sign * difference;
          }
        }
        accumulator.addSwap(s, k, layer, original, band);
      }
    }
  }
  return accumulator;
}
