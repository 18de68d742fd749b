import { describe, expect, it } from 'vitest';
import { analyzeLayerWindows, computeLayerWindows, defaultWindowAnalysisOptions, fitLayerUnits, quartiles, windowCurve } from '../../src/analysis/index.js';
import { curveWindow, plantedDifferences } from './synthetic.js';

const MAX_LAG = 20;
const N = 30;

/** Planted unit parameters: interior mixtures, one pure exponential (c = 0), one pure power law (c = 1). */
const units = [
  { a: 0.8, b: 0.4, c: 0.6 },
  { a: 0.3, b: 2, c: 0.3 },
  { a: 1.5, b: 0.05, c: 0.5 },
  { a: 2, b: 1, c: 0.2 },
  { a: 8, b: 0.15, c: 0.75 },
  { a: 1, b: 0.3, c: 0 },
  { a: 0.7, b: 1, c: 1 },
];
const DEAD = units.length; // one more unit that the swaps never move

describe('unit fits of a layer', () => {
  const differences = plantedDifferences({
    wordCount: N, maxLag: MAX_LAG, width: units.length + 1,
    window: (u, lag) => (u === DEAD ? 1 : windowCurve(units[u], lag)),
    scale: (u) => (u === DEAD ? 0 : 0.5 + u),
    wordFactor: (t) => Math.exp(0.05 * t),
  });
  const unitFits = fitLayerUnits(computeLayerWindows(differences));

  it('recovers every unit’s planted parameters within 1 %', () => {
    units.forEach((truth, u) => {
      expect(unitFits.c[u]).toBeCloseTo(truth.c, 4);
      if (truth.c > 0) expect(Math.abs(unitFits.a[u] - truth.a) / truth.a).toBeLessThan(0.01);
      if (truth.c < 1) expect(Math.abs(unitFits.b[u] - truth.b) / truth.b).toBeLessThan(0.01);
    });
  });

  it('leaves out of a’s summary the unit with c = 0, and out of b’s the unit with c = 1', () => {
    expect(Number.isNaN(unitFits.a[5])).toBe(true);
    expect(Number.isNaN(unitFits.b[6])).toBe(true);
    // quartiles of the planted values over the units where each parameter shapes the curve
    const expected = (name: 'a' | 'b' | 'c', keep: (p: (typeof units)[number]) => boolean) => quartiles(units.filter(keep).map((p) => p[name]));
    const a = expected('a', (p) => p.c > 0), b = expected('b', (p) => p.c < 1), c = expected('c', () => true);
    expect(unitFits.summary.a.count).toBe(6);
    expect(unitFits.summary.b.count).toBe(6);
    for (const [got, want] of [[unitFits.summary.a, a], [unitFits.summary.b, b], [unitFits.summary.c, c]] as const) {
      expect(got.median).toBeCloseTo(want.median, 2);
      expect(got.q1).toBeCloseTo(want.q1, 2);
      expect(got.q3).toBeCloseTo(want.q3, 2);
    }
  });

  it('counts fitted, excluded and bound-hitting units', () => {
    expect(unitFits.fitted).toBe(units.length);
    expect(unitFits.excluded).toBe(1);
    expect(unitFits.failed).toBe(0);
    expect(unitFits.identified[DEAD]).toBe(-1);
    expect(unitFits.boundHits['c=0']).toBe(1);
    expect(unitFits.boundHits['c=1']).toBe(1);
    // the pure exponential (c = 0) and the pure power law (c = 1); interior mixtures stay off the bounds
    expect(unitFits.atBound).toBe(2);
    expect(Number.isNaN(unitFits.halfDecayLag[DEAD])).toBe(true);
    // the pure exponential's half-decay lag: ln 2 / b
    expect(unitFits.halfDecayLag[5]).toBeCloseTo(Math.LN2 / 0.3, 4);
  });

  it('fits the population window: shared parameters with different unit scales are recovered within 1 %', () => {
    const truth = { a: 1.5, b: 0.05, c: 0.5 };
    const shared = plantedDifferences({ wordCount: N, maxLag: MAX_LAG, width: 5, window: curveWindow(truth), scale: (u) => 10 ** (u - 2) });
    const analysis = analyzeLayerWindows(shared, { ...defaultWindowAnalysisOptions, fitUnits: false });
    expect(analysis.unitFits).toBeNull();
    for (const name of ['a', 'b', 'c'] as const) expect(Math.abs(analysis.populationFit!.parameters[name] - truth[name]) / truth[name]).toBeLessThan(0.01);
  });
});

