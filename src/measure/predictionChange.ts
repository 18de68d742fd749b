import { exponentialsFrom, HEADROOM, largest, logSumExpFrom } from './logSumExp.js';

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

/** An original's prediction from its logits. */
export function prediction(logits: Float32Array): Prediction {
  const reference = predictionReference(logits), scaledProbabilities = new Float64Array(logits.length);
  const logSum = exponentialsFrom(logits, reference, scaledProbabilities);
  return { logits, reference, logSum, scaledProbabilities };
}

/** The reference an original's sums, and its swaps', are taken from: its largest logit + HEADROOM. */
export function predictionReference(logits: Float32Array): number {
  return largest(logits) + HEADROOM;
}

/**
 * [Σ_v |o′_v − o_v|, KL(p ‖ p′) = −Σ_v p_v (o′_v − o_v)] for the original prediction and the swapped logits, where
 * o = z − log Σ exp(z): o′_v − o_v = (z′_v − z_v) − (the normaliser's shift), the difference of the float32 logits
 * taken in float64 (exact), so nothing is lost to rounding the log-probabilities. The swapped log-sum-exp is taken
 * from the original's reference, so an unchanged prediction gives exactly 0. (The vocabulary kernel computes the
 * same numbers two predictions at a time: vocabularyKernelText.ts.)
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
  return [absolute, divergenceFrom(scaledDivergence, original.logSum)];
}

/** KL from −Σ_v exp(z_v − reference) (o′_v − o_v): divided by the original's Σ exp, and never below 0 (rounding). */
export function divergenceFrom(scaledDivergence: number, logSum: number): number {
  return Math.max(0, scaledDivergence * Math.exp(-logSum));
}
