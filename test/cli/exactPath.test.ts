import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reportSchema } from '../../src/report/index.js';
import { iw } from '../helpers/runIw.js';
import { describeWithShared, fixturePath, sharedPath } from '../helpers/shared.js';
import { withDynamicQuantization } from '../engine/dynamicQuantization.js';
import { removeDir, tempDir } from '../model/modelTestKit.js';

/**
 * `iw estimate` on a model whose stacked pasts are not exact: one warning on stderr naming what was found, and the
 * path that ran recorded in report.json (model.exactPath, validated by the schema) and shown in report.html.
 */
const small = ['--sequences', '3', '--words', '20', '--max-lag', '6', '--quiet', '--threads', '2'];

async function estimateRun(model: string, out: string) {
  const result = await iw('estimate', '--model', model, '--out', out, ...small);
  expect(result.stderr.split('\n').filter((line) => line.startsWith('iw: warning:')), result.stderr).toHaveLength(1);
  expect(result.code).toBe(0);
  const report = reportSchema.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
  return { result, report, html: readFileSync(join(out, 'report.html'), 'utf8') };
}

describe('iw estimate on a model with DynamicQuantizeLinear', () => {
  const model = withDynamicQuantization(fixturePath('models', 'stories260K'));
  const out = tempDir('exact-path');
  afterAll(() => { removeDir(dirname(model)); removeDir(out); });

  it('warns once naming the op, records the path (whole sequences, alone) in report.json and report.html', async () => {
    const { result, report, html } = await estimateRun(model, join(out, 'run'));
    expect(result.stderr).toMatch(/iw: warning: .*DynamicQuantizeLinear \(36 nodes\).*alone in its batch and unpadded/);
    expect(report.model.exactPath).toEqual({
      engine: 'naive',
      rowsAlone: true,
      reasons: [{ kind: 'position-mixing', detail: 'DynamicQuantizeLinear (36 nodes) computes one value over all positions and rows' }],
    });
    expect(report.notes.some((note) => note.startsWith('engine: naive (asked for fast; its stacked pasts would not be exact: DynamicQuantizeLinear'))).toBe(true);
    expect(html).toContain('exact path');
    expect(html).toContain('every pass a whole sequence alone in its batch, unpadded: DynamicQuantizeLinear (36 nodes)');
  }, 120_000);

  it('a model that needs no exact path records none and warns of nothing', async () => {
    const result = await iw('estimate', '--model', fixturePath('models', 'stories260K'), '--out', join(out, 'plain'), ...small);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/warning/);
    const report = reportSchema.parse(JSON.parse(readFileSync(join(out, 'plain', 'report.json'), 'utf8')));
    expect(report.model.exactPath).toBeUndefined();
  }, 120_000);
});

describeWithShared('iw estimate on GroupQueryAttention (genai-llama-gqa-fp32)', () => {
  const out = tempDir('exact-path-gqa');
  afterAll(() => removeDir(out));
  it('warns once, runs truncated full passes and records why', async () => {
    const { result, report } = await estimateRun(sharedPath('models', 'families', 'genai-llama-gqa-fp32'), join(out, 'run'));
    expect(result.stderr).toMatch(/iw: warning: .*GroupQueryAttention \(2 nodes\).*full passes cut after each band/);
    expect(report.model.exactPath).toMatchObject({ engine: 'truncated', rowsAlone: false, reasons: [{ kind: 'group-query-attention' }] });
  }, 120_000);
});

describeWithShared('iw estimate on a sliding window (gemma2-tiny, window 8 on layers 0 and 2)', () => {
  const out = tempDir('exact-path-gemma');
  afterAll(() => removeDir(out));
  it('runs truncated full passes; its windows equal --engine naive\'s to 1e-6', async () => {
    const { report } = await estimateRun(sharedPath('models', 'families', 'gemma2-tiny'), join(out, 'fast'));
    expect(report.model.exactPath).toMatchObject({ engine: 'truncated', rowsAlone: false, reasons: [{ kind: 'sliding-window' }] });
    const naive = await iw('estimate', '--model', sharedPath('models', 'families', 'gemma2-tiny'), '--engine', 'naive', '--out', join(out, 'naive'), ...small);
    expect(naive.code).toBe(0);
    const windows = (run: string) => readFileSync(join(out, run, 'windows.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(',').map(Number));
    const [fast, reference] = [windows('fast'), windows('naive')];
    expect(fast.length).toBe(reference.length);
    let worst = 0;
    fast.forEach((row, i) => row.forEach((value, j) => { worst = Math.max(worst, Math.abs(value - reference[i][j])); }));
    console.log(`gemma2-tiny: windows.csv of the default engine vs naive, max |difference| ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-6);
  }, 180_000);
});
