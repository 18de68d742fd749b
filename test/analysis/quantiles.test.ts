import { describe, expect, it } from 'vitest';
import { median, quantile, quartiles } from '../../src/analysis/index.js';

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
