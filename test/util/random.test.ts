import { describe, expect, it } from 'vitest';
import { createRandom, randomInt, shuffled } from '../../src/util/random.js';

describe('createRandom', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = createRandom(7), b = createRandom(7), c = createRandom(8);
    const streamA = Array.from({ length: 50 }, a);
    expect(Array.from({ length: 50 }, b)).toEqual(streamA);
    expect(Array.from({ length: 50 }, c)).not.toEqual(streamA);
  });

  it('is uniform enough: 100,000 draws in 10 bins stay within 4 standard errors of 10,000', () => {
    const random = createRandom(1);
    const bins = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) bins[randomInt(random, 10)]++;
    // binomial(100000, 0.1): sd = sqrt(100000 * 0.1 * 0.9) ≈ 94.9
    for (const count of bins) expect(Math.abs(count - 10_000)).toBeLessThan(4 * 94.9);
  });

  it('shuffles into a permutation', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const result = shuffled(createRandom(3), items);
    expect(result).not.toEqual(items);
    expect([...result].sort((x, y) => x - y)).toEqual(items);
  });
});
