import { DifferenceAccumulator, type AccumulatorOptions } from './differenceAccumulator.js';
import { bandLength } from './layerDifferences.js';

/** The read-out accumulator's two quantities, kept as its "layers" (each of width 1). */
export const OUTPUT_WINDOW = 0;
export const PREDICTION_DIVERGENCE = 1;
const READOUT_QUANTITIES = [OUTPUT_WINDOW, PREDICTION_DIVERGENCE] as const;

/**
 * Terms of a log-sum-exp more than this many nats below the largest add less than e^−64 ≈ 1.6e−28 each: with any
 * vocabulary below 10^12 entries, under a float64 rounding of the sum, so skipping them changes nothing.
 */
const NEGLIGIBLE_NATS = 64;

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

/** An original's prediction after one word: its logits and its probabilities (float64). */
export interface Prediction {
  logits: Float32Array;
  probabilities: Float64Array;
  /** Σ_v probabilities (1 up to rounding): the shift of the normaliser is taken relative to it, so no change gives 0. */
  probabilitySum: number;
}

/**
 * The output read-out (docs/method.md §9). For a measured word t, o(t) = log p(t) is the model's log-probability of
 * every vocabulary entry as the next token after t's last token. For a swap at k and t in k .. k + maxLag it keeps,
 * per sequence:
 * - Σ_v |o_v(t; swapped at k) − o_v(t; original)| (the output window's differences, summed over the vocabulary), and
 * - KL(p(t; original) ‖ p(t; swapped at k)) = Σ_v p_v (o_v − o′_v) (the prediction divergence, natural log),
 * computed from the float32 logits in float64 (log-softmax of each kept row only). Both go to a ReadoutAccumulator
 * as its quantities OUTPUT_WINDOW and PREDICTION_DIVERGENCE, so windows, fits, bootstrap, shards and checkpoints
 * treat them as two layers of one unit.
 */
export class OutputReadout {
  private readonly predictions = new Map<number, Prediction[]>();
  private readonly zeros: Float32Array;

  constructor(readonly accumulator: ReadoutAccumulator) {
    this.zeros = new Float32Array(accumulator.wordCount);
  }

  /** The original's logits after every word, [N × vocabulary]: kept until onSequenceDone. */
  onOriginalOutput(sequenceIndex: number, logits: Float32Array): void {
    const words = this.accumulator.wordCount;
    if (logits.length % words !== 0) throw new Error(`onOriginalOutput: ${logits.length} logits are not ${words} rows`);
    const vocabulary = logits.length / words;
    this.predictions.set(sequenceIndex, Array.from({ length: words }, (_, t) => prediction(logits.subarray(t * vocabulary, (t + 1) * vocabulary))));
  }

  /** The swapped sequence's logits after words k .. k + rows − 1: both quantities of the band, added to the accumulator. */
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

/** log Σ_v exp(z_v), in float64 from the largest logit (terms NEGLIGIBLE_NATS below it skipped). */
export function logSumExp(logits: Float32Array): number {
  let largest = -Infinity;
  for (let v = 0; v < logits.length; v++) if (logits[v] > largest) largest = logits[v];
  const floor = largest - NEGLIGIBLE_NATS;
  let sum = 0;
  for (let v = 0; v < logits.length; v++) if (logits[v] > floor) sum += Math.exp(logits[v] - largest);
  return largest + Math.log(sum);
}

/**
 * Below this |Δz| a degree-9 Taylor polynomial gives e^Δz to within (1/32)^10 / 10! · e^(1/32) < 3·10⁻²² relative,
 * far inside float64 rounding (1.1·10⁻¹⁶), at a third of Math.exp's cost: most of a far swap's logits move less.
 */
const SMALL_CHANGE = 1 / 32;

/**
 * logSumExp(swapped) − logSumExp(original) = log (Σ_v p_v · e^(z′_v − z_v) / Σ_v p_v), from the original's probabilities: one
 * pass, no search for the largest logit, and a polynomial for the small changes. (Entries whose original
 * probability underflows float64, below e^−745, are left out: they would matter only if the swap raised a logit
 * by some 700 nats.)
 */
function normaliserShift(original: Prediction, swapped: Float32Array): number {
  const z = original.logits, p = original.probabilities;
  let sum = 0;
  for (let v = 0; v < z.length; v++) {
    const d = swapped[v] - z[v];
    const e = d > -SMALL_CHANGE && d < SMALL_CHANGE
      ? 1 + d * (1 + d * (1 / 2 + d * (1 / 6 + d * (1 / 24 + d * (1 / 120 + d * (1 / 720 + d * (1 / 5040 + d * (1 / 40320 + d / 362880))))))))
      : Math.exp(d);
    sum += p[v] * e;
  }
  return Math.log(sum / original.probabilitySum);
}

function prediction(logits: Float32Array): Prediction {
  const lse = logSumExp(logits);
  const probabilities = new Float64Array(logits.length);
  let probabilitySum = 0;
  for (let v = 0; v < logits.length; v++) probabilitySum += probabilities[v] = Math.exp(logits[v] - lse);
  return { logits, probabilities, probabilitySum };
}

/**
 * [Σ_v |o′_v − o_v|, KL(p ‖ p′) = −Σ_v p_v (o′_v − o_v)] for the original prediction and the swapped logits, where
 * o = z − logSumExp(z): differences of the float32 logits taken in float64, so nothing is lost to rounding the
 * log-probabilities, in one pass over the vocabulary after the normaliser's shift (normaliserShift).
 */
export function predictionChange(original: Prediction, swapped: Float32Array): [number, number] {
  const shift = normaliserShift(original, swapped);
  const z = original.logits, p = original.probabilities;
  let absolute = 0, divergence = 0;
  for (let v = 0; v < z.length; v++) {
    const change = swapped[v] - z[v] - shift;
    absolute += Math.abs(change);
    divergence -= p[v] * change;
  }
  return [absolute, Math.max(0, divergence)];
}
