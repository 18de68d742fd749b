import { DifferenceAccumulator, type AccumulatorOptions } from './differenceAccumulator.js';
import { bandLength } from './layerDifferences.js';
import { exponentialsFrom, HEADROOM, largest, logSumExpFrom } from './logSumExp.js';

/** The read-out accumulator's two quantities, kept as its "layers" (each of width 1). */
export const OUTPUT_WINDOW = 0;
export const PREDICTION_DIVERGENCE = 1;
const READOUT_QUANTITIES = [OUTPUT_WINDOW, PREDICTION_DIVERGENCE] as const;

/** The read-out accumulator's name in partial results and checkpoints (docs/partial-format.md). */
export const READOUT_ACCUMULATOR = 'outputReadout';

/** The read-out of a measured run: per sequence, swap k and lag, Σ_v |Δo_v| and KL, kept like a layer's differences. */
export class ReadoutAccumulator extends DifferenceAccumulator {
  override readonly name: string = READOUT_ACCUMULATOR;
  override readonly valuesPerSwap: string =
    'two quantities (the output\'s Σ over the vocabulary of |Δ log p|, then the prediction divergence KL), each (min(maxLag, wordCount − 1 − k) + 1) float32, lag 0 first';

  constructor(options: Omit<AccumulatorOptions, 'layers' | 'width'>) {
    super({ ...options, layers: READOUT_QUANTITIES, width: 1 });
  }
}

/** An original's prediction after one word: its logits, the reference its sums are taken from, and its probabilities (float64). */
export interface Prediction {
  logits: Float32Array;
  /** The reference its own log-sum-exp and its swaps' are taken from (logSumExpFrom): its largest logit + HEADROOM. */
  reference: number;
  /** log Σ_v exp(z_v − reference). */
  logSum: number;
  /** exp(z_v − reference): the probabilities times exp(logSum), kept so (one pass of exponentials fewer per original). */
  scaledProbabilities: Float64Array;
}

/**
 * The output read-out (docs/method.md §9). For a measured word t, o(t) = log p(t) is the model's log-probability of
 * every vocabulary entry as the next token after t's last token. For a swap at k and t in k .. k + maxLag it keeps,
 * per sequence:
 * - Σ_v |o_v(t; swapped at k) − o_v(t; original)| (the output window's differences, summed over the vocabulary), and
 * - KL(p(t; original) ‖ p(t; swapped at k)) = Σ_v p_v (o_v − o′_v) (the prediction divergence, natural log),
 * computed from the float32 logits in float64 (logSumExpFrom, then one pass for both). Both go to a ReadoutAccumulator
 * as its quantities OUTPUT_WINDOW and PREDICTION_DIVERGENCE, so windows, fits, bootstrap, shards and checkpoints
 * treat them as two layers of one unit.
 */
export class OutputReadout {
  private readonly predictions = new Map<number, Prediction[]>();
  private readonly zeros: Float32Array;

  constructor(readonly accumulator: ReadoutAccumulator) {
    this.zeros = new Float32Array(accumulator.wordCount);
  }

  /** The original's predictions after every word (N rows): kept until onSequenceDone. */
  onOriginalOutput(sequenceIndex: number, logits: Float32Array): void {
    const words = this.accumulator.wordCount;
    if (logits.length % words !== 0) throw new Error(`onOriginalOutput: ${logits.length} logits are not ${words} rows`);
    const vocabulary = logits.length / words;
    this.predictions.set(sequenceIndex, Array.from({ length: words }, (_, t) => prediction(logits.subarray(t * vocabulary, (t + 1) * vocabulary))));
  }

  /** The swapped sequence's predictions after words k .. k + rows − 1: both quantities of the band, added to the accumulator. */
  onSwapOutput(sequenceIndex: number, swapPosition: number, logits: Float32Array): void {
    const originals = this.predictions.get(sequenceIndex);
    if (!originals) throw new Error(`onSwapOutput: no original prediction for sequence ${sequenceIndex}`);
    const { wordCount, maxLag } = this.accumulator;
    const rows = bandLength(wordCount, maxLag, swapPosition);
    const vocabulary = originals[0].logits.length;
    if (logits.length < rows * vocabulary) throw new Error(`onSwapOutput: ${logits.length / vocabulary} rows of logits, expected ${rows}`);
    const absolute = new Float32Array(rows), divergence = new Float32Array(rows);
    for (let lag = 0; lag < rows; lag++) {
      const swapped = logits.subarray(lag * vocabulary, (lag + 1) * vocabulary);
      [absolute[lag], divergence[lag]] = predictionChange(originals[swapPosition + lag], swapped);
    }
    this.accumulator.addSwap(sequenceIndex, swapPosition, OUTPUT_WINDOW, this.zeros, absolute);
    this.accumulator.addSwap(sequenceIndex, swapPosition, PREDICTION_DIVERGENCE, this.zeros, divergence);
  }

  onSequenceDone(sequenceIndex: number): void {
    this.predictions.delete(sequenceIndex);
    this.accumulator.onSequenceDone(sequenceIndex);
  }
}

function prediction(logits: Float32Array): Prediction {
  const reference = largest(logits) + HEADROOM;
  const scaledProbabilities = new Float64Array(logits.length);
  const logSum = exponentialsFrom(logits, reference, scaledProbabilities);
  return { logits, reference, logSum, scaledProbabilities };
}

/**
 * [Σ_v |o′_v − o_v|, KL(p ‖ p′) = −Σ_v p_v (o′_v − o_v)] for the original prediction and the swapped logits, where
 * o = z − log Σ exp(z): o′_v − o_v = (z′_v − z_v) − (the normaliser's shift), the difference of the float32 logits
 * taken in float64 (exact), so nothing is lost to rounding the log-probabilities. The swapped log-sum-exp is taken
 * from the original's reference, so an unchanged prediction gives exactly 0.
 */
export function predictionChange(original: Prediction, swapped: Float32Array): [number, number] {
  const shift = logSumExpFrom(swapped, original.reference) - original.logSum;
  const z = original.logits, scaled = original.scaledProbabilities;
  let absolute = 0, scaledDivergence = 0;
  for (let v = 0; v < z.length; v++) {
    const change = swapped[v] - z[v] - shift;
    absolute += Math.abs(change);
    scaledDivergence -= scaled[v] * change;
  }
  return [absolute, Math.max(0, scaledDivergence * Math.exp(-original.logSum))];
}
