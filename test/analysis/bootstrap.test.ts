import { describe, expect, it } from 'vitest';
import {
  bootstrapReplicates,
  bootstrapWindowFits,
  computeLayerWindows,
  computePopulationWindow,
  fitLayerUnits,
  halfDecayLag,
  lag75,
  percentileInterval,
  windowCurve,
} from '../../src/analysis/index.js';
import { createRandom } from '../../src/util/random.js';
import { curveWindow, plantedRun } from './synthetic.js';

/**
 * Coverage: over repeated synthetic runs (fresh noise each), a 90 % interval should contain the true value in
 * about 90 % of runs. With n runs the observed share has binomial sd sqrt(0.9·0.1/n); we accept ±3 sd.
 * The truth: per-sequence differences are the planted D times (1 + noise) with mean-one noise, so the
 * population window of infinitely many sequences is the planted window, and its fit is the planted (a, b, c).
 */
const truth = { a: 1.2, b: 0.5, c: 0.5 };
const MAX_LAG = 6;

function syntheticRun(seed: number, sequences = 30) {
  return plantedRun({
    wordCount: MAX_LAG + 4, maxLag: MAX_LAG, width: 3, sequences, layers: [2], noise: 0.3,
    random: createRandom(seed), keep: 'sequences', window: curveWindow(truth), scale: (u) => 1 + u,
  });
}

const covers = (interval: { lower: number; upper: number }, value: number) => interval.lower <= value && value <= interval.upper;

describe('bootstrap over sequences', () => {
  it('percentile intervals: type-7 quantiles of the replicate values, NaN left out, Infinity sorted last', () => {
    // 0..10 with a NaN: the 5 % and 95 % quantiles of 11 values sit at positions 0.5 and 9.5
    const interval = percentileInterval(4, [...Array.from({ length: 11 }, (_, i) => 10 - i), NaN], 0.9);
    expect(interval.lower).toBeCloseTo(0.5, 12);
    expect(interval.upper).toBeCloseTo(9.5, 12);
    expect(interval.replicates).toBe(11);
    expect(percentileInterval(1, [1, 2, Infinity, Infinity], 0.5).upper).toBe(Infinity);
  });

  it('covers the population window at lags 1 and 2 at about 90 % over 200 synthetic runs', () => {
    const covered = [0, 0];
    const runs = 200;
    for (let run = 0; run < runs; run++) {
      const kept = syntheticRun(run);
      const windowAtLags = (weights: Float64Array) => {
        const window = computePopulationWindow(kept.formLayer(2, weights))!;
        return [window[1], window[2]];
      };
      const replicates = bootstrapReplicates(kept, { replicates: 100, confidence: 0.9, seed: 10_000 + run }, windowAtLags);
      [1, 2].forEach((lag, i) => {
        const interval = percentileInterval(NaN, replicates.map((values) => values[i]), 0.9);
        if (covers(interval, windowCurve(truth, lag))) covered[i]++;
      });
    }
    // binomial sd at n = 200: sqrt(0.09 / 200) ≈ 0.021; 3 sd ≈ 0.064
    for (const count of covered) expect(Math.abs(count / runs - 0.9)).toBeLessThan(0.064);
  });

  it('covers the population fit’s a, b, c, half-decay lag and lag75 at about 90 % over 60 synthetic runs', () => {
    // 60 sequences per run: with 30 the percentile intervals run ~10 % narrow (bootstrap sd 0.056 against a
    // true sd of 0.062 for the half-decay lag, measured over 40 runs), the usual small-sample undercoverage
    const runs = 60;
    const expected = { ...truth, halfDecayLag: halfDecayLag(truth, MAX_LAG), lag75: lag75(truth, MAX_LAG) };
    const covered = { a: 0, b: 0, c: 0, halfDecayLag: 0, lag75: 0 };
    for (let run = 0; run < runs; run++) {
      const [intervals] = bootstrapWindowFits(syntheticRun(500 + run, 60), { replicates: 50, confidence: 0.9, seed: 20_000 + run });
      for (const name of Object.keys(covered) as Array<keyof typeof covered>) if (covers(intervals.population[name], expected[name])) covered[name]++;
    }
    // binomial sd at n = 60: sqrt(0.09 / 60) ≈ 0.039; 3 sd ≈ 0.116 (50 replicates make intervals a little
    // ragged, which the tolerance absorbs)
    for (const count of Object.values(covered)) expect(Math.abs(count / runs - 0.9)).toBeLessThan(0.116);
  });

  it('is reproducible from its seed and gives unit-median intervals on a seeded unit subset', () => {
    const kept = syntheticRun(1);
    const options = { replicates: 20, confidence: 0.8, unitSubset: 2 };
    const first = bootstrapWindowFits(kept, { ...options, seed: 5 });
    expect(bootstrapWindowFits(kept, { ...options, seed: 5 })).toEqual(first);
    const unitMedians = first[0].unitMedians!;
    expect(unitMedians.units.length).toBe(2);
    // the estimate is the median over the subset of the unit fits on all sequences
    const everySequence = new Float64Array(kept.partCount).fill(1);
    const unitFits = fitLayerUnits(computeLayerWindows(kept.formLayer(2, everySequence)), undefined, unitMedians.units);
    expect(unitMedians.b.estimate).toBeCloseTo(unitFits.summary.b.median, 12);
    expect(unitMedians.b.replicates).toBe(20);
    expect(unitMedians.b.lower).toBeLessThanOrEqual(unitMedians.b.upper);
  });
});
