import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReport, readReport, serializeReport, writeReportJson, type Report, type ReportInput } from '../../src/report/index.js';
import { UserError } from '../../src/util/errors.js';
import { syntheticReport } from './helpers/syntheticReport.js';

const full = () => syntheticReport({ bootstrap: true, yoking: true, comparison: true });
const tempDir = () => mkdtempSync(join(tmpdir(), 'iw-report-'));

/** The same object with every object's keys in reverse order (as another builder might produce them). */
function reversedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversedKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedKeys(v)])) as T;
}

describe('iw-report/1 schema', () => {
  it('accepts a report with every optional part, and one with none', () => {
    expect(() => parseReport(full(), 'full')).not.toThrow();
    expect(() => parseReport(syntheticReport(), 'plain')).not.toThrow();
  });

  it('round-trips through report.json unchanged', () => {
    const path = join(tempDir(), 'report.json');
    writeReportJson(full(), path);
    expect(readReport(path)).toEqual(parseReport(full(), 'full'));
  });

  it('writes the same bytes whatever order keys arrive in; only provenance timing may differ between runs', () => {
    const report = full();
    const shuffled = reversedKeys(report);
    expect(Object.keys(shuffled.settings)[0]).toBe('untrained'); // reversed input really is in another order
    expect(serializeReport(shuffled)).toBe(serializeReport(report));
    const later = { ...report, provenance: { ...report.provenance, startedAt: '2025-02-01T08:00:00.000Z', durationSeconds: 99 } };
    const before = serializeReport(report).split('\n');
    const changed = serializeReport(later).split('\n').filter((line, i) => line !== before[i]);
    expect(changed).toEqual(['    "startedAt": "2025-02-01T08:00:00.000Z",', '    "durationSeconds": 99,']);
  });

  it('takes the stage times as a timing field of provenance: every stage, seconds ≥ 0, no other key', () => {
    const stageSeconds = { openModel: 2, stimuli: 0.5, forward: 30, differences: 1, fits: 4, bootstrap: 0, report: 0.25 };
    const report = full();
    const timed = { ...report, provenance: { ...report.provenance, stageSeconds } };
    expect(parseReport(timed, 'timed').provenance.stageSeconds).toEqual(stageSeconds);
    const { fits: _fits, ...missingFits } = stageSeconds;
    for (const bad of [{ ...stageSeconds, forward: -1 }, { ...stageSeconds, warmUp: 1 }, missingFits]) {
      expect(() => parseReport({ ...report, provenance: { ...report.provenance, stageSeconds: bad } }, 'bad')).toThrow(UserError);
    }
  });

  it('sorts settings keys', () => {
    const report = { ...syntheticReport(), settings: { seed: 1, yoking: false, maxLag: 20, alphabeticOnly: true } };
    const text = serializeReport(report);
    expect(text.indexOf('"alphabeticOnly"')).toBeLessThan(text.indexOf('"maxLag"'));
    expect(text.indexOf('"maxLag"')).toBeLessThan(text.indexOf('"seed"'));
    expect(text.indexOf('"seed"')).toBeLessThan(text.indexOf('"yoking"'));
  });

  it('refuses a setting that is not an option of a run, naming it, so a report cannot carry flags by accident', () => {
    const report = { ...syntheticReport(), settings: { seed: 1, maxLag: 20, zeta: 3 } } as unknown as ReportInput;
    expect(() => serializeReport(report)).toThrow(/settings has unknown key\(s\) "zeta"/);
    const output = { ...syntheticReport(), settings: { seed: 1, maxLag: 20, out: 'runs/x' } } as unknown as ReportInput;
    expect(() => serializeReport(output)).toThrow(/settings has unknown key\(s\) "out"/);
  });

  it('checks each setting with the rule of its option', () => {
    const report = { ...syntheticReport(), settings: { seed: 1, maxLag: 20, dtype: 'fp64' } } as unknown as ReportInput;
    expect(() => serializeReport(report)).toThrow(/settings\.dtype must be one of fp32, fp16/);
  });

  it('keeps a half-decay lag beyond maxLag as null and refuses NaN with the field path', () => {
    const report = syntheticReport();
    report.layers[2].summary.halfDecayLag = null;
    expect(JSON.parse(serializeReport(report)).layers[2].summary.halfDecayLag).toBeNull();
    report.layers[2].summary.halfDecayLag = NaN;
    expect(() => serializeReport(report)).toThrow(/layers\[2\]\.summary\.halfDecayLag/);
    report.layers[2].summary.halfDecayLag = Infinity;
    expect(() => serializeReport(report)).toThrow(/layers\[2\]\.summary\.halfDecayLag/);
  });

  it('refuses a misspelt key instead of dropping it', () => {
    const report = syntheticReport() as unknown as { layers: Record<string, unknown>[] };
    (report.layers[0].summary as Record<string, unknown>).halfDecaylag = 3;
    expect(() => serializeReport(report as unknown as Report)).toThrow(/layers\[0\]\.summary has unknown key\(s\) "halfDecaylag"/);
  });

  it('ties lengths to maxLag and optional parts together', () => {
    const short = syntheticReport();
    short.layers[1].window.pop();
    expect(() => parseReport(short, 'r')).toThrow('layers[1].window must hold maxLag + 1 = 21 values (lags 0..maxLag), has 20');

    const noBootstrap = full();
    delete noBootstrap.bootstrap;
    expect(() => parseReport(noBootstrap, 'r')).toThrow(/layers\[0\]\.intervals needs the top-level bootstrap block/);

    const missingIntervals = full();
    delete missingIntervals.layers[4].intervals;
    expect(() => parseReport(missingIntervals, 'r')).toThrow(/layers\[4\]\.intervals is missing/);

    const profile = full();
    profile.layers[3].yoking!.profile.push(0.1);
    expect(() => parseReport(profile, 'r')).toThrow(/layers\[3\]\.yoking\.profile must hold one value per swap position \(yoking\.wordsPerSequence = 60\), has 61/);

    const order = syntheticReport();
    [order.layers[0], order.layers[1]] = [order.layers[1], order.layers[0]];
    expect(() => parseReport(order, 'r')).toThrow(/ascending order/);
  });

  it('checks the ranges of fitted parameters', () => {
    const report = syntheticReport();
    report.layers[0].fit.population.c = 1.2;
    expect(() => parseReport(report, 'r')).toThrow('report r: layers[0].fit.population.c must be from 0 to 1 (got 1.2)');
  });
});

describe('readReport', () => {
  it('names the file and the field, and says what would be right', () => {
    const dir = tempDir();
    const report = JSON.parse(serializeReport(syntheticReport()));
    report.layers[2].fit.population.a = 'x';
    delete report.model.sha256;
    const path = join(dir, 'report.json');
    writeFileSync(path, JSON.stringify(report));
    let error: unknown;
    try { readReport(path); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(`report ${path}: model.sha256 is missing (expected string); layers[2].fit.population.a must be a finite number (got "x")`);
  });

  it('tells a missing file, bad JSON and another format apart', () => {
    const dir = tempDir();
    expect(() => readReport(join(dir, 'none.json'))).toThrow(`cannot read report ${join(dir, 'none.json')}: no such file`);
    writeFileSync(join(dir, 'bad.json'), '{"format": ');
    expect(() => readReport(join(dir, 'bad.json'))).toThrow(/bad\.json is not valid JSON/);
    writeFileSync(join(dir, 'stimuli.json'), JSON.stringify({ format: 'iw-stimuli/1', sequences: [] }));
    expect(() => readReport(join(dir, 'stimuli.json'))).toThrow(/stimuli\.json is not an iw-report\/1 report \(its format is "iw-stimuli\/1"\)/);
  });

  it('reads what writeReportJson wrote, byte for byte the same when written again', () => {
    const dir = tempDir();
    writeReportJson(full(), join(dir, 'a.json'));
    writeReportJson(readReport(join(dir, 'a.json')), join(dir, 'b.json'));
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe(readFileSync(join(dir, 'a.json'), 'utf8'));
  });
});
