import { describe, expect, it } from 'vitest';
import { bic, compareModels, compareWindowModels, windowCurve, type CurveParameters } from '../../src/analysis/index.js';
import { createRandom, type RandomSource } from '../../src/util/random.js';
import { curveWindow, plantedRun } from './synthetic.js';

const MAX_LAG = 20;

/** A planted window plus additive noise (sd σ) at lags ≥ 1; W(0) = 1 as in every measured window. */
function noisyWindow(truth: CurveParameters, sigma: number, random: RandomSource): number[] {
  return Array.from({ length: MAX_LAG + 1 }, (_, lag) => (lag === 0 ? 1 : windowCurve(truth, lag) + sigma * Math.sqrt(3) * (2 * random() - 1)));
}

describe('model comparison (docs/method.md §5)', () => {
  it('computes BIC as n ln(SSE/n) + k ln n', () => {
    // n = 21, SSE = 0.021: 21·ln(0.001) + 3·ln 21
    expect(bic(0.021, 21, 3)).toBeCloseTo(21 * Math.log(0.001) + 3 * Math.log(21), 12);
  });

  /**
   * Over 40 noisy draws of a pure window, the matching one-component model must win BIC in at least 75 % of
   * them. The mixture can win a draw (the lag-0 spike of its other component soaks up the noise at lag 1,
   * observed ~10 % of draws), but only as the pure model in disguise (c within 0.1 of the pure edge), and the
   * wrong pure model never wins either criterion.
   */
  it.each([
    { truth: { a: NaN, b: 0.35, c: 0 }, right: 'exponential', wrong: 'powerLaw' },
    { truth: { a: 0.9, b: NaN, c: 1 }, right: 'powerLaw', wrong: 'exponential' },
  ] as const)('gives a pure $right window to the $right model', ({ truth, right, wrong }) => {
    const random = createRandom(32);
    const pureEdge = truth.c;
    let bicWins = 0;
    for (let draw = 0; draw < 40; draw++) {
      const result = compareWindowModels(3, noisyWindow(truth, 0.003, random), [noisyWindow(truth, 0.004, random), noisyWindow(truth, 0.004, random)]);
      if (result.byBic.winner === right) bicWins++;
      else expect(Math.abs(result.models.mixture.parameters.c - pureEdge)).toBeLessThan(0.1);
      if (result.byHeldOut.winner === 'mixture') result.models.mixture.heldOut.forEach((fit) => expect(Math.abs(fit.parameters.c - pureEdge)).toBeLessThan(0.1));
      expect([result.byBic.winner, result.byHeldOut.winner]).not.toContain(wrong);
      expect(result.models[wrong].heldOutSse).toBeGreaterThan(10 * result.models[right].heldOutSse);
    }
    expect(bicWins).toBeGreaterThanOrEqual(30);
  });

  it('gives a true mixture to the mixture by both criteria', () => {
    const random = createRandom(33);
    const truth = { a: 0.8, b: 0.4, c: 0.6 };
    const result = compareWindowModels(3, noisyWindow(truth, 0.002, random), [noisyWindow(truth, 0.003, random), noisyWindow(truth, 0.003, random)]);
    expect(result.byBic.winner).toBe('mixture');
    expect(result.byHeldOut.winner).toBe('mixture');
    expect(result.byHeldOut.ratio).toBeGreaterThan(1);
  });

  it('splits a run’s kept sequences into halves and compares per layer without re-running anything', () => {
    // layer 0 planted exponential, layer 5 planted power law; 24 sequences with 20 % per-entry noise
    const kept = plantedRun({
      wordCount: 26, maxLag: MAX_LAG, width: 6, sequences: 24, layers: [0, 5], noise: 0.2, random: createRandom(8), keep: 'sequences',
      window: curveWindow({ a: 1, b: 0.3, c: 0 }),
      windowOfLayer: (layer) => curveWindow(layer === 0 ? { a: 1, b: 0.3, c: 0 } : { a: 0.9, b: 1, c: 1 }),
      scale: (u) => 1 + u,
    });
    const [exponentialLayer, powerLawLayer] = compareModels(kept, createRandom(1));
    expect(exponentialLayer!.layer).toBe(0);
    // the wrong pure model loses both criteria in each layer
    expect([exponentialLayer!.byBic.winner, exponentialLayer!.byHeldOut.winner]).not.toContain('powerLaw');
    expect([powerLawLayer!.byBic.winner, powerLawLayer!.byHeldOut.winner]).not.toContain('exponential');
    expect(exponentialLayer!.models.powerLaw.heldOutSse).toBeGreaterThan(10 * exponentialLayer!.models.exponential.heldOutSse);
    expect(powerLawLayer!.models.exponential.heldOutSse).toBeGreaterThan(10 * powerLawLayer!.models.powerLaw.heldOutSse);
  });
});
