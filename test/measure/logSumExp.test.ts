import { describe, expect, it } from 'vitest';
import { HEADROOM, largest, logSumExpFrom } from '../../src/measure/logSumExp.js';
import { createRandom } from '../../src/util/random.js';
import { logitRow } from '../helpers/logitRows.js';

/** The plain form: Math.exp from the largest logit, summed in float64. */
function plainLogSumExp(logits: Float32Array): number {
  const top = largest(logits);
  let sum = 0;
  for (const z of logits) sum += Math.exp(z - top);
  return top + Math.log(sum);
}

/** log Σ_v exp(z_v) through logSumExpFrom, from a reference as the read-out takes it: the row's largest + HEADROOM. */
function logSumExp(logits: Float32Array): number {
  const reference = largest(logits) + HEADROOM;
  return reference + logSumExpFrom(logits, reference);
}

describe('log-sum-exp of float32 logits', () => {
  it('agrees with Math.exp summed in float64 to a few units in the last place, on rows like a model\'s', () => {
    const random = createRandom(7);
    for (let row = 0; row < 50; row++) {
      const logits = logitRow(random, 6144);
      const plain = plainLogSumExp(logits);
      expect(Math.abs(logSumExp(logits) - plain)).toBeLessThan(8 * Number.EPSILON * Math.abs(plain));
      // From a reference well above (another prediction's largest + HEADROOM), the same number.
      const reference = largest(logits) + HEADROOM + 5;
      expect(Math.abs(reference + logSumExpFrom(logits, reference) - plain)).toBeLessThan(8 * Number.EPSILON * Math.abs(plain));
    }
  });

  it('closed forms: n equal logits give z + log n; e^0 + e^−30 gives log1p(e^−30)', () => {
    expect(logSumExp(Float32Array.of(1000, 1000))).toBeCloseTo(1000 + Math.log(2), 12);
    // A float64 sum of n terms in order is good to n·ε relative (plus each term's few ε).
    const expected = -3.5 + Math.log(6144);
    expect(Math.abs(logSumExp(new Float32Array(6144).fill(-3.5)) - expected)).toBeLessThan(6144 * Number.EPSILON);
    expect(logSumExpFrom(Float32Array.of(0, -30), 0)).toBeCloseTo(Math.log1p(Math.exp(-30)), 15);
  });

  it('takes a row whose logits rise above the reference from its own largest, and skips terms below float64\'s range', () => {
    const logits = Float32Array.of(0, 40, 39);
    expect(1 + logSumExpFrom(logits, 1)).toBeCloseTo(40 + Math.log1p(Math.exp(-1) + Math.exp(-40)), 13);
    expect(logSumExp(Float32Array.of(0, -800, -Infinity))).toBe(0);
    expect(logSumExp(Float32Array.of(0, Number.NaN))).toBeNaN();
  });
});
