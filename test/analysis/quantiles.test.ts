import { describe, expect, it } from 'vitest';
import { median, quantile, quartiles } from '../../src/analysis/index.js';
import { medianInPlace, sortedQuantile } from '../../src/analysis/quantiles.js';
import { createRandom } from '../../src/util/random.js';

describe('quantiles (numpy’s default, linear interpolation)', () => {
  it('matches numpy.quantile on small lists', () => {
    // numpy.quantile([1, 2, 3, 4], [0.25, 0.5, 0.75]) = [1.75, 2.5, 3.25]
    expect(quartiles([4, 1, 3, 2])).toEqual({ q1: 1.75, median: 2.5, q3: 3.25, count: 4 });
    // numpy.quantile([10, 20, 30], 0.9) = 28
    expect(quantile([30, 10, 20], 0.9)).toBeCloseTo(28, 12);
  });

  it('leaves NaN out and sorts Infinity last', () => {
    expect(median([3, NaN, 1, 2])).toBe(2);
    expect(quartiles([NaN, NaN]).count).toBe(0);
    expect(Number.isNaN(median([NaN]))).toBe(true);
    expect(median([1, Infinity, Infinity])).toBe(Infinity);
    expect(median([1, 2, Infinity])).toBe(2);
  });
});

describe('medianInPlace (selection)', () => {
  it('gives the very number sorting then sortedQuantile(0.5) gives, ties, NaN, ±0 and Infinity included', () => {
    // the slower reference path: a typed-array sort and the interpolating quantile
    const random = createRandom(7);
    const pool = [0, -0, 1, -1, 0.5, Infinity, -Infinity, NaN, 2];
    for (let trial = 0; trial < 3000; trial++) {
      const count = 1 + Math.floor(random() * 40);
      const values = Float64Array.from({ length: count }, () =>
        random() < 0.3 ? pool[Math.floor(random() * pool.length)] : Math.round(random() * 20) / 4 - 2);
      const expected = sortedQuantile(values.slice().sort(), 0.5);
      const scratch = new Float64Array(count + 3).fill(99);
      scratch.set(values);
      expect(Object.is(medianInPlace(scratch, count), expected), `${Array.from(values).join(', ')}`).toBe(true);
    }
  });

  it('is NaN for no values', () => {
    expect(medianInPlace(new Float64Array(4), 0)).toBeNaN();
  });
});
