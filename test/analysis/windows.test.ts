import { describe, expect, it } from 'vitest';
import { computeLayerWindows, computePopulationWindow, windowCurve } from '../../src/analysis/index.js';
import { UserError } from '../../src/util/errors.js';
import { curveWindow, plantedDifferences } from './synthetic.js';

const MAX_LAG = 6;
const N = 14; // measured words t = minSwap + maxLag = 8 .. 13

/** Three units with different planted windows, scales and a measured-word factor that must all cancel. */
const unitParameters = [
  { a: 0.7, b: 0.5, c: 0 }, // pure exponential exp(−0.5Δ)
  { a: 1.2, b: 3, c: 1 }, // pure power law (Δ + 1)^(−1.2)
  { a: 0.8, b: 0.4, c: 0.6 }, // mixture
];
const planted = (u: number, lag: number) => windowCurve(unitParameters[u], lag);

describe('integration windows (docs/method.md §4)', () => {
  const differences = plantedDifferences({
    wordCount: N, maxLag: MAX_LAG, width: 3, window: planted,
    scale: (u) => [0.3, 7, 1.5][u],
    wordFactor: (t) => 1 + 0.1 * t,
  });
  const windows = computeLayerWindows(differences, { minSwap: 2 });

  it('measures the words t with t − maxLag ≥ minSwap', () => {
    expect(windows.measuredWords).toEqual([8, 9, 10, 11, 12, 13]);
    expect(windows.skippedWords).toEqual([]);
  });

  it('recovers each planted unit window exactly, whatever the unit scale and word factor', () => {
    for (let u = 0; u < 3; u++) {
      for (let lag = 0; lag <= MAX_LAG; lag++) {
        // W_u(Δ; t) = g_u(Δ) at every t (see synthetic.ts), so the median over t is g_u(Δ)
        expect(windows.unitWindows[u * (MAX_LAG + 1) + lag]).toBeCloseTo(planted(u, lag), 12);
      }
    }
  });

  it('gives the population window as the mean over units, and quartiles across units per lag', () => {
    for (let lag = 0; lag <= MAX_LAG; lag++) {
      const values = [0, 1, 2].map((u) => planted(u, lag)).sort((x, y) => x - y);
      expect(windows.populationWindow![lag]).toBeCloseTo((values[0] + values[1] + values[2]) / 3, 12);
      // three units: median = middle value; type-7 quartiles at positions 0.5 and 1.5
      expect(windows.unitWindowQuartiles.median[lag]).toBeCloseTo(values[1], 12);
      expect(windows.unitWindowQuartiles.q1[lag]).toBeCloseTo((values[0] + values[1]) / 2, 12);
      expect(windows.unitWindowQuartiles.q3[lag]).toBeCloseTo((values[1] + values[2]) / 2, 12);
    }
    expect(computePopulationWindow(differences)).toEqual(windows.populationWindow);
  });

  it('takes the median over measured words when windows vary with t', () => {
    // one unit whose window at lag 1 depends on the measured word: D(t − 1, t) / D(t, t) = 0.1·(t − 7)
    const varying = plantedDifferences({ wordCount: N, maxLag: MAX_LAG, width: 1, window: (_u, lag) => (lag === 0 ? 1 : 0.5) });
    for (let t = 8; t < N; t++) varying.values[(t - 1) * (MAX_LAG + 1) + 1] = 0.1 * (t - 7);
    // ratios at t = 8..13: 0.1 .. 0.6, median of six = (0.3 + 0.4) / 2
    expect(computeLayerWindows(varying).unitWindows[1]).toBeCloseTo(0.35, 12);
  });

  it('excludes and counts units with a zero lag-0 effect, with no NaN in what remains', () => {
    const withDeadUnits = plantedDifferences({
      wordCount: N, maxLag: MAX_LAG, width: 4,
      window: (u, lag) => planted(Math.min(u, 2), lag),
      scale: (u) => (u === 3 ? 0 : 1), // unit 3 never moves: D = 0 everywhere
    });
    // unit 1 has D(t, t) = 0 at one measured word only
    withDeadUnits.values[(10 * (MAX_LAG + 1) + 0) * 4 + 1] = 0;
    const result = computeLayerWindows(withDeadUnits);
    expect(result.exclusions).toEqual({ zeroAtEveryWord: 1, zeroAtSomeWords: 1 });
    expect(Array.from(result.includedUnits)).toEqual([1, 0, 1, 0]);
    expect(result.populationWindow!.every(Number.isFinite)).toBe(true);
    for (let lag = 0; lag <= MAX_LAG; lag++) {
      expect(result.populationWindow![lag]).toBeCloseTo((planted(0, lag) + planted(2, lag)) / 2, 12);
    }
    expect(Number.isNaN(result.unitWindows[3 * (MAX_LAG + 1)])).toBe(true);
  });

  it('gives a null population window when every unit is excluded', () => {
    const dead = plantedDifferences({ wordCount: N, maxLag: MAX_LAG, width: 2, window: curveWindow({ a: 1, b: 1, c: 0.5 }), scale: () => 0 });
    const result = computeLayerWindows(dead);
    expect(result.populationWindow).toBeNull();
    expect(result.exclusions.zeroAtEveryWord).toBe(2);
  });

  it('skips measured words lacking a swap at some position in t − maxLag..t', () => {
    // no swap at k = 9: words t = 9..13 need it (t − 6 ≤ 9 ≤ t), leaving t = 8
    const gappy = plantedDifferences({ wordCount: N, maxLag: MAX_LAG, width: 3, window: planted, missingSwaps: [9] });
    const result = computeLayerWindows(gappy);
    expect(result.measuredWords).toEqual([8]);
    expect(result.skippedWords).toEqual([9, 10, 11, 12, 13]);
    expect(result.unitWindows[2]).toBeCloseTo(planted(0, 2), 12);
  });

  it('says which sequence length is needed when no word qualifies', () => {
    const short = plantedDifferences({ wordCount: 8, maxLag: MAX_LAG, width: 1, window: planted });
    // needs t = minSwap + maxLag = 8 ≤ N − 1, i.e. N ≥ 9
    expect(() => computeLayerWindows(short)).toThrow(UserError);
    expect(() => computeLayerWindows(short)).toThrow(/at least 9 words for --max-lag 6 and --min-swap 2.*have 8/);
    expect(() => computeLayerWindows(plantedDifferences({ wordCount: N, maxLag: MAX_LAG, width: 1, window: planted, missingSwaps: [8] }))).toThrow(
      /no measured word t has swaps at every position.*without any swap: 8/,
    );
  });
});
