import { describe, expect, it } from 'vitest';
import { checkReport, parseToleranceFile, type Report } from '../../src/report/index.js';
import { syntheticReport } from './helpers/syntheticReport.js';

const copy = (report: Report): Report => structuredClone(report);
const drifted = (report: Report, baseline: Report, tolerances?: Parameters<typeof parseToleranceFile>[0]) =>
  checkReport(report, baseline, { tolerances: tolerances === undefined ? undefined : parseToleranceFile(tolerances, 'tolerance.json') })
    .checks.filter((c) => !c.within).map((c) => `${c.layer}:${c.quantity}`);

describe('iw check against bootstrap intervals (the default when both reports have them)', () => {
  const baseline = syntheticReport({ bootstrap: true, yoking: true });

  it('passes an identical rerun, with nothing moved', () => {
    const result = checkReport(copy(baseline), baseline);
    expect(result.passed).toBe(true);
    expect(result.checks.some((c) => c.moved)).toBe(false);
    // 9 layers × (a, b, c, halfDecayLag, lag75, three unit medians, Y, Y control).
    expect(result.checks).toHaveLength(9 * 10);
    expect(new Set(result.checks.map((c) => c.rule.kind))).toEqual(new Set(['interval', 'exact']));
  });

  it('fails a parameter moved well past its interval and passes one moved within it', () => {
    const report = copy(baseline);
    // The planted interval of a is a ± 0.08 (helpers/syntheticReport.ts): a change of up to √2 · 0.08 = 0.113 is within.
    report.layers[4].fit.population.a += 0.2;
    report.layers[6].fit.population.b += 0.05;
    const result = checkReport(report, baseline);
    expect(result.passed).toBe(false);
    expect(result.checks.filter((c) => !c.within).map((c) => `${c.layer}:${c.quantity}`)).toEqual(['4:a']);
    expect(result.checks.find((c) => c.layer === 6 && c.quantity === 'b')).toMatchObject({ moved: true, within: true });
    expect(result.checks.find((c) => c.layer === 4 && c.quantity === 'a')!.change).toBeCloseTo(0.2, 12);
  });

  it('allows √2 × the interval\'s reach on the side of the change, at least √2 × half its width', () => {
    // An asymmetric interval around a = B: [B − 0.02, B + 0.10]. Above: √2 · 0.10; below: √2 · max(0.02, 0.06).
    const base = copy(baseline);
    const a = base.layers[5].fit.population.a;
    base.layers[5].intervals!.a = [a - 0.02, a + 0.1];
    const [above, below] = [Math.SQRT2 * 0.1, Math.SQRT2 * 0.06];
    const cases = [[0.99 * above, true], [1.01 * above, false], [-0.99 * below, true], [-1.01 * below, false]] as const;
    for (const [change, within] of cases) {
      const report = copy(base);
      report.layers[5].fit.population.a += change;
      expect(drifted(report, base), `change ${change}`).toEqual(within ? [] : ['5:a']);
      const rule = checkReport(report, base).checks.find((c) => c.layer === 5 && c.quantity === 'a')!.rule;
      expect(rule).toMatchObject({ kind: 'interval', allowed: expect.closeTo(change > 0 ? above : below, 12) });
    }
  });

  it('passes a report equal to its baseline even where a percentile interval misses its own point estimate', () => {
    // Seen in real reports (c of deep layers with 20 replicates): the interval lies to one side of the estimate.
    const base = copy(baseline);
    const c = base.layers[7].fit.population.c;
    base.layers[7].intervals!.c = [c + 0.01, c + 0.05];
    base.layers[2].intervals!.halfDecayLag = [null, null];
    base.layers[3].intervals!.a = [base.layers[3].fit.population.a - 0.3, base.layers[3].fit.population.a - 0.1];
    expect(checkReport(copy(base), base)).toMatchObject({ passed: true });
    // The change is judged, not the position: up to √2 · 0.05 above (the reach), √2 · 0.02 below (half the width).
    const moved = (to: number) => { const r = copy(base); r.layers[7].fit.population.c = to; return drifted(r, base); };
    expect(moved(c + 0.06)).toEqual([]);
    expect(moved(c + 0.08)).toEqual(['7:c']);
    expect(moved(c - 0.025)).toEqual([]);
    expect(moved(c - 0.03)).toEqual(['7:c']);
  });

  it('checks yoking too', () => {
    const report = copy(baseline);
    report.layers[7].yoking!.median += 0.05; // planted CI: median ± 0.03, so √2 · 0.03 = 0.042 is allowed
    expect(drifted(report, baseline)).toEqual(['7:yoking']);
  });

  it('falls back to exact agreement for quantities without an interval (the Y control here)', () => {
    const report = copy(baseline);
    report.layers[2].yoking!.controlLagsFrom1.median += 1e-12;
    report.layers[3].yoking!.controlLagsFrom1.median += 1e-4;
    expect(drifted(report, baseline)).toEqual(['3:yokingControl']);
  });
});

describe('iw check without intervals', () => {
  const baseline = syntheticReport();

  it('demands exact agreement (1e-6 relative) when no tolerance is given', () => {
    const report = copy(baseline);
    report.layers[1].fit.population.c *= 1 + 1e-8;
    expect(drifted(report, baseline)).toEqual([]);
    report.layers[1].fit.population.c *= 1 + 1e-4;
    expect(drifted(report, baseline)).toEqual(['1:c']);
  });

  it('applies absolute and relative tolerances from the file, and "default" to quantities not named', () => {
    const report = copy(baseline);
    report.layers[2].fit.population.a += 0.04;
    report.layers[3].fit.population.a += 0.06;
    const lag75 = baseline.layers[5].summary.lag75;
    report.layers[5].summary.lag75 = lag75 * 1.08;
    report.layers[6].summary.lag75 = baseline.layers[6].summary.lag75 * 1.12;
    report.layers[7].fit.units.median.b! += 0.2;
    expect(drifted(report, baseline, { a: { abs: 0.05 }, lag75: { rel: 0.1 } })).toEqual(['3:a', '6:lag75', '7:unitB']);
    expect(drifted(report, baseline, { a: { abs: 0.05 }, lag75: { rel: 0.1 }, default: { abs: 0.5 } })).toEqual(['3:a', '6:lag75']);
    // abs and rel together: within when |change| ≤ abs + rel·|baseline|.
    const a3 = baseline.layers[3].fit.population.a;
    expect(drifted(report, baseline, { a: { abs: 0.05, rel: 0.02 / a3 }, lag75: { rel: 0.15 } })).toEqual(['7:unitB']);
  });

  it('treats a half-decay lag of null as "beyond maxLag"', () => {
    const base = copy(baseline);
    base.layers[4].summary.halfDecayLag = null;
    const report = copy(base);
    report.layers[4].summary.halfDecayLag = 19.5; // 0.5 below maxLag = 20
    expect(drifted(report, base, { halfDecayLag: { abs: 1 } })).toEqual([]);
    report.layers[4].summary.halfDecayLag = 15;
    expect(drifted(report, base, { halfDecayLag: { abs: 1 } })).toEqual(['4:halfDecayLag']);
    expect(checkReport(copy(base), base).passed).toBe(true);
  });

  it('compares the population window only when the tolerance file names it', () => {
    const report = copy(baseline);
    report.layers[2].window[5] += 0.03;
    expect(drifted(report, baseline, {})).toEqual([]);
    const result = checkReport(report, baseline, { tolerances: parseToleranceFile({ window: { abs: 0.02 } }, 't') });
    const window = result.checks.find((c) => c.quantity === 'window' && c.layer === 2)!;
    expect(window).toMatchObject({ lag: 5, within: false });
    expect(window.change).toBeCloseTo(0.03, 12);
  });
});

describe('iw check refuses reports that cannot be compared', () => {
  const baseline = syntheticReport();
  const names = { report: 'new.json', baseline: 'old.json' };

  it('of different models', () => {
    const other = syntheticReport({ modelId: 'someone/else' });
    expect(() => checkReport(other, baseline, { names })).toThrow(/cannot check new\.json against old\.json: they are of different models: someone\/else/);
  });

  it('of different layers', () => {
    const report = copy(baseline);
    report.layers.pop();
    expect(() => checkReport(report, baseline, { names })).toThrow('they measure different layers: 0,1,2,3,4,5,6,7 and 0,1,2,3,4,5,6,7,8');
  });

  it('made with different settings, unless those are named as not mattering', () => {
    const report = copy(baseline);
    report.settings = { ...report.settings, seed: 2, dtype: 'q8', threads: 8, cacheDir: '/elsewhere' };
    expect(() => checkReport(report, baseline, { names })).toThrow('they were made with different settings: dtype "q8" vs "fp32", seed 2 vs 1 (report vs baseline)');
    expect(() => checkReport(report, baseline, { names, ignoreSettings: ['seed', 'dtype'] })).not.toThrow();
  });

  it('one with yoking and one without', () => {
    const withYoking = syntheticReport({ yoking: true });
    expect(() => checkReport(withYoking, baseline, { names })).toThrow('the report has yoking results and the baseline has none');
  });

  it('notes differences that do not stop a check', () => {
    const report = copy(baseline);
    report.provenance = { ...report.provenance, iw: '0.2.0', stimuliSha256: 'f'.repeat(64) };
    expect(checkReport(report, baseline).notes).toEqual(['the stimuli differ (sha256 of the stimuli files)', 'iw 0.2.0 vs 0.1.0 in the baseline']);
  });
});

describe('tolerance files', () => {
  it('accept abs, rel, both, "interval" and "exact"', () => {
    expect(parseToleranceFile({ a: { abs: 0.05 }, b: { rel: 0.1 }, c: { abs: 0.01, rel: 0.1 }, yoking: 'interval', default: 'exact' }, 't.json'))
      .toEqual({ a: { abs: 0.05 }, b: { rel: 0.1 }, c: { abs: 0.01, rel: 0.1 }, yoking: 'interval', default: 'exact' });
  });

  it('name the file, the key and what is allowed', () => {
    expect(() => parseToleranceFile({ alpha: { abs: 1 } }, 't.json')).toThrow(/tolerance file t\.json: \(top level\) has unknown key\(s\) "alpha" \(known: default, a, b, c, halfDecayLag/);
    expect(() => parseToleranceFile({ a: { abs: -1 } }, 't.json')).toThrow(/tolerance file t\.json: a\.abs must be \{"abs": number ≥ 0\}, \{"rel": number ≥ 0\}, both, "interval" or "exact" \(got -1\)/);
    expect(() => parseToleranceFile({ a: {} }, 't.json')).toThrow(/a must be \{"abs"/);
    expect(() => parseToleranceFile([1], 't.json')).toThrow(/must hold a JSON object/);
  });
});
