import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeReport, writeReportJson } from '../../src/report/index.js';
import { runIw } from '../helpers/runIw.js';
import { syntheticReport } from '../report/helpers/syntheticReport.js';

const figures = ['windows.svg', 'parameters.svg', 'fits.svg', 'report.html'];
const yokingFigures = ['yoking-index.svg', 'yoking-profile.svg'];

describe('iw plot', () => {
  it('writes the figures and report.html beside the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iw-plot-'));
    writeReportJson(syntheticReport({ yoking: true }), join(dir, 'report.json'));
    const result = await runIw(['plot', join(dir, 'report.json')]);
    expect(result).toMatchObject({ code: 0, stderr: '', stdout: `${join(dir, 'report.json')}: wrote 6 files to ${dir}\n` });
    for (const file of [...figures, ...yokingFigures]) expect(existsSync(join(dir, file)), file).toBe(true);
    expect(readFileSync(join(dir, 'report.html'), 'utf8').match(/<svg /g)).toHaveLength(5);
  });

  it('puts several reports into one subfolder each under --out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iw-plot-'));
    writeReportJson(syntheticReport({ modelId: 'org/model-a' }), join(dir, 'a', 'report.json'));
    writeReportJson(syntheticReport({ modelId: 'org/model-b' }), join(dir, 'b', 'report.json'));
    const out = join(dir, 'plots');
    const result = await runIw(['plot', join(dir, 'a', 'report.json'), join(dir, 'b', 'report.json'), '--out', out]);
    expect(result.code).toBe(0);
    for (const file of figures) {
      expect(existsSync(join(out, 'model-a', file)), file).toBe(true);
      expect(existsSync(join(out, 'model-b', file)), file).toBe(true);
    }
    expect(existsSync(join(out, 'model-a', 'yoking-profile.svg'))).toBe(false);
  });

  it('exits 2 naming the file and the field of an invalid report, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iw-plot-'));
    const report = JSON.parse(serializeReport(syntheticReport()));
    report.layers[4].window[3] = 'high';
    writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
    const result = await runIw(['plot', join(dir, 'report.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`iw: report ${join(dir, 'report.json')}: layers[4].window[3] must be a finite number (got "high")\n`);
    expect(existsSync(join(dir, 'windows.svg'))).toBe(false);
  });
});
