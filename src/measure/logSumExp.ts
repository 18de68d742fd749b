/**
 * log Σ_v exp(z_v − reference) of float32 logits, in float64, in one pass over the vocabulary: the output read-out takes it for
 * every swapped word's prediction (docs/method.md §9), tens of millions of exponentials per run, and Math.exp
 * (about 11 ns each here) made it the read-out's largest cost; this takes about 4 ns (docs/performance.md).
 *
 * The reference should be at least the largest logit (a prediction's largest plus HEADROOM serves for any
 * prediction near it, and the difference of two such sums is then free of the reference's rounding):
 * every term is e^x with x ≤ 0, so nothing overflows, and a logit above the reference sends the row to a reference
 * from its own largest. Each term is
 * e^x = 2^(−q/1024) · e^r, with q = ⌊−x · 1024 / ln 2⌋ read from two tables (2^−⌊q/1024⌋, 2^−(q mod 1024)/1024) and
 * r = x + q ln2/1024 in (−6.8·10⁻⁴, 0] by a degree-4 Taylor polynomial, whose error r⁵/5! < 1.3·10⁻¹⁸ is far below
 * float64 rounding: each term is good to a few units in the last place, as Math.exp's is.
 */
export function logSumExpFrom(logits: Float32Array, reference: number): number {
  let sum = 0;
  for (let v = 0; v < logits.length; v++) {
    const x = logits[v] - reference;
    if (x > 0) {
      const own = largest(logits) + HEADROOM;
      return own - reference + logSumExpFrom(logits, own);
    }
    sum += exponentialOfNonPositive(x);
  }
  return Math.log(sum);
}

/**
 * e^(z_v − reference) written into `terms`, and log of their sum: logSumExpFrom for a reference at least the largest
 * logit (a logit above it throws), keeping the terms (an original prediction's probabilities, up to that sum).
 */
export function exponentialsFrom(logits: Float32Array, reference: number, terms: Float64Array): number {
  let sum = 0;
  for (let v = 0; v < logits.length; v++) {
    const x = logits[v] - reference;
    if (x > 0) throw new Error(`exponentialsFrom: logit ${logits[v]} is above the reference ${reference}`);
    sum += terms[v] = exponentialOfNonPositive(x);
  }
  return Math.log(sum);
}

/** e^x for x ≤ 0, as logSumExpFrom describes (0 below e^−UNDERFLOW, where −∞ lands too; NaN stays NaN). */
function exponentialOfNonPositive(x: number): number {
  if (x < -UNDERFLOW) return 0;
  const q = -(x * STEPS_PER_LN2) | 0;
  const r = x + q * LN2_PER_STEP;
  return WHOLE_POWERS[q >> STEP_BITS] * STEP_POWERS[q & (STEPS - 1)] * (1 + r * (1 + r * (1 / 2 + r * (1 / 6 + r * (1 / 24)))));
}

/**
 * How far above a prediction's largest logit the reference sits: a swapped prediction near it then takes the one
 * pass unless one of its logits rose more than this many nats above the original's largest, and its largest
 * term, at least e^−HEADROOM, stays far inside float64's range.
 */
export const HEADROOM = 32;

/** Terms below e^−UNDERFLOW are 0 in float64 (the smallest subnormal is about e^−745). */
const UNDERFLOW = 745;
const STEP_BITS = 10;
/** Steps of the table exponential per factor 2 (vocabularyKernelText.ts takes these, and the table, as they are). */
export const STEPS = 1 << STEP_BITS;
export const STEPS_PER_LN2 = STEPS / Math.LN2;
export const LN2_PER_STEP = Math.LN2 / STEPS;
/** 2^−j/1024 for j in 0 .. 1023. */
export const STEP_POWERS = Float64Array.from({ length: STEPS }, (_, j) => 2 ** (-j / STEPS));
/** 2^−i for every whole power a term above e^−UNDERFLOW needs. */
const WHOLE_POWERS = Float64Array.from({ length: Math.ceil(UNDERFLOW / Math.LN2) + 2 }, (_, i) => 2 ** -i);

export function largest(values: Float32Array): number {
  let top = -Infinity;
  for (let v = 0; v < values.length; v++) if (values[v] > top) top = values[v];
  return top;
}
