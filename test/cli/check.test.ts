import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/config/resolve.js';
import { estimate, estimateOptionSpecs } from '../../src/pipeline/index.js';
import { writeReportJson, type Report } from '../../src/report/index.js';
import { layerQuantities, readQuantity } from '../../src/report/layerQuantities.js';
import { runIw } from '../helpers/runIw.js';
import { syntheticReport } from '../report/helpers/syntheticReport.js';

function setUp(baseline: Report, edit: (report: Report) => void = () => {}) {
  const dir = mkdtempSync(join(tmpdir(), 'iw-check-'));
  const report = structuredClone(baseline);
  edit(report);
  writeReportJson(baseline, join(dir, 'baseline.json'));
  writeReportJson(report, join(dir, 'report.json'));
  return { dir, report: join(dir, 'report.json'), baseline: join(dir, 'baseline.json') };
}

/** Quantities whose bootstrap interval does not contain the report's own estimate (a percentile interval need not). */
function outsideOwnInterval(report: Report): string[] {
  return report.layers.flatMap((layer) => layerQuantities.flatMap((quantity) => {
    const reading = readQuantity[quantity](layer);
    if (!reading?.interval) return [];
    const [low, high] = reading.interval;
    const value = reading.value ?? Infinity;
    const inside = (low === null ? value === Infinity : value >= low) && (high === null || value <= high);
    return inside ? [] : [`${layer.layer}:${quantity}`];
  }));
}

describe('iw check on real reports (the shipped tiny model)', () => {
  it('passes a report checked against itself, with bootstrap intervals and without', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iw-check-real-'));
    for (const bootstrap of [10, 0]) {
      const options = resolveOptions(estimateOptionSpecs, { sequences: 6, words: 24, maxLag: 8, quiet: true, bootstrap, seed: 4 });
      const { report } = await estimate(options);
      // With 10 replicates, seed 4 gives estimates outside their own percentile intervals (a, b, c, lag75 of
      // layer 0, b of layer 1): the old rule, "inside the baseline's interval", failed this very check.
      if (bootstrap > 0) expect(outsideOwnInterval(report).length).toBeGreaterThan(0);
      const path = join(dir, `report-${bootstrap}.json`);
      writeReportJson(report, path);
      const result = await runIw(['check', path, '--baseline', path]);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(/^iw check: passed: all \d+ quantities equal the baseline's/);
    }
  });
});

describe('iw check', () => {
  const baseline = syntheticReport({ bootstrap: true, yoking: true });

  it('exits 0 for an identical rerun', async () => {
    const files = setUp(baseline);
    const result = await runIw(['check', files.report, '--baseline', files.baseline]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('iw check: passed: all 90 quantities equal the baseline\'s');
  });

  it('exits 1 and shows what drifted when a parameter moved past its interval', async () => {
    // Planted bootstrap interval of b: population b ± 0.1 (helpers/syntheticReport.ts).
    const files = setUp(baseline, (r) => { r.layers[5].fit.population.b += 0.25; });
    const result = await runIw(['check', files.report, '--baseline', files.baseline]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('iw check: DRIFT: 1 of 90 quantities moved beyond tolerance');
    const row = result.stdout.split('\n').find((line) => /^\s+5\s+b\s/.test(line))!;
    expect(row.trim().split(/\s{2,}/)).toEqual(['5', 'b', String(baseline.layers[5].fit.population.b), String(baseline.layers[5].fit.population.b + 0.25), '+0.25', expect.stringMatching(/^±0\.141 \(interval \[[\d.]+, [\d.]+\]\)$/), 'DRIFT']);
  });

  it('uses a tolerance file, and reports in JSON with --json', async () => {
    const files = setUp(baseline, (r) => { r.layers[2].fit.population.a += 0.04; });
    writeFileSync(join(files.dir, 'tolerance.json'), JSON.stringify({ a: { abs: 0.03 } }));
    const result = await runIw(['check', files.report, '--baseline', files.baseline, '--tolerance', join(files.dir, 'tolerance.json'), '--json']);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ format: 'iw-check/1', passed: false, counts: { checked: 90, moved: 1, drifted: 1 } });
    expect(json.checks.filter((c: { within: boolean }) => !c.within)).toEqual([expect.objectContaining({ layer: 2, quantity: 'a', rule: { kind: 'tolerance', abs: 0.03, rel: 0, allowed: expect.closeTo(0.03, 8) } })]);
  });

  it('exits 2 with the reason for reports of different models or settings', async () => {
    const files = setUp(baseline, (r) => { r.settings.maxLag = 20; r.settings.seed = 9; });
    const result = await runIw(['check', files.report, '--baseline', files.baseline]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`iw: cannot check ${files.report} against ${files.baseline}: they were made with different settings: seed 9 vs 1 (report vs baseline); rerun with the baseline's settings, or name settings that do not matter here with --ignore-settings\n`);
    const ignored = await runIw(['check', files.report, '--baseline', files.baseline, '--ignore-settings', 'seed']);
    expect(ignored.code).toBe(0);
  });

  it('exits 2 for unusable input: no baseline, a broken report, a bad tolerance file', async () => {
    const files = setUp(baseline);
    expect(await runIw(['check', files.report])).toMatchObject({ code: 2, stderr: 'iw: iw check needs --baseline <report>: the stored report.json to compare with\n' });
    writeFileSync(join(files.dir, 'broken.json'), JSON.stringify({ format: 'iw-report/1' }));
    const broken = await runIw(['check', join(files.dir, 'broken.json'), '--baseline', files.baseline]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^iw: report .*broken\.json: model is missing \(expected object\)/);
    writeFileSync(join(files.dir, 'tolerance.json'), JSON.stringify({ lag50: { abs: 1 } }));
    const tolerance = await runIw(['check', files.report, '--baseline', files.baseline, '--tolerance', join(files.dir, 'tolerance.json')]);
    expect(tolerance.code).toBe(2);
    expect(tolerance.stderr).toContain('has unknown key(s) "lag50"');
  });
});
