import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { resolveOptions } from '../../src/config/resolve.js';
import { estimateOptionSpecs } from '../../src/config/options/estimateRun.js';
import { estimate, type EstimateRun } from '../../src/pipeline/index.js';
import { iw } from '../helpers/runIw.js';
import { describeWithShared, fixturePath, sharedPath } from '../helpers/shared.js';

/**
 * fixtures/readout/gutenberg-gpt2-small.json: the output window and prediction divergence of
 * fixtures/readout/stimuli.json, computed in float64 by fixtures/readout/make_reference.py (PyTorch, with the weights read
 * from the ONNX file and a BPE written out from tokenizer.json: nothing of iw), with full passes for every swap.
 */
interface Reference { maxLag: number; minSwap: number; outputWindow: number[]; divergenceWindow: number[] }

const model = sharedPath('models', 'gutenberg-gpt2-small');
const stimuli = fixturePath('readout', 'stimuli.json');

function run(flags: Record<string, unknown>): Promise<EstimateRun> {
  return estimate(resolveOptions(estimateOptionSpecs, { model, stimuli, quiet: true, plots: false, ...flags }));
}

const largestDifference = (x: readonly number[], y: readonly number[]) => Math.max(...x.map((value, i) => Math.abs(value - y[i])));

describeWithShared('--readout output on gutenberg-gpt2-small', () => {
  const reference = JSON.parse(readFileSync(fixturePath('readout', 'gutenberg-gpt2-small.json'), 'utf8')) as Reference;
  let fast: EstimateRun, naive: EstimateRun, layersOnly: EstimateRun;
  beforeAll(async () => {
    const lags = { maxLag: reference.maxLag, minSwap: reference.minSwap };
    fast = await run({ ...lags, readout: 'output' });
    naive = await run({ ...lags, readout: 'output', engine: 'naive' });
    layersOnly = await run(lags);
  }, 120_000);

  it('agrees with an independent float64 PyTorch computation to 1e-5, on both windows and with both engines', () => {
    for (const { report } of [fast, naive]) {
      expect(largestDifference(report.output!.window, reference.outputWindow)).toBeLessThan(1e-5);
      expect(largestDifference(report.output!.divergence.window, reference.divergenceWindow)).toBeLessThan(1e-5);
    }
  });

  it('the fast engine gives the naive engine\'s read-outs to 1e-6', () => {
    expect(largestDifference(fast.report.output!.window, naive.report.output!.window)).toBeLessThan(1e-6);
    expect(largestDifference(fast.report.output!.divergence.window, naive.report.output!.divergence.window)).toBeLessThan(1e-6);
  });

  it('changes none of the layers\' numbers, and is absent without the option', () => {
    expect(fast.report.layers).toEqual(layersOnly.report.layers);
    expect(layersOnly.report.output).toBeUndefined();
    expect(fast.report.settings.readout).toBe('output');
    expect(fast.report.output!.window[0]).toBe(1);
    expect(fast.report.output!.comparison).toBeDefined();
  });
});

describeWithShared('--readout output through the command line', () => {
  it('writes the output and divergence rows into windows.csv, fits.csv and the table', async () => {
    const out = mkdtempSync(join(tmpdir(), 'iw-readout-'));
    const result = await iw('estimate', '--model', model, '--stimuli', stimuli, '--readout', 'output', '--quiet', '--no-plots', '--out', out);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ *output +\d/m);
    expect(result.stdout).toMatch(/^ *divergence +\d/m);
    const windows = readFileSync(join(out, 'windows.csv'), 'utf8');
    expect(windows).toMatch(/^output,0,1,NA,NA,NA$/m);
    expect(windows).toMatch(/^divergence,20,/m);
    expect(readFileSync(join(out, 'fits.csv'), 'utf8')).toMatch(/^divergence,NA,(ok|at-bound),/m);
  }, 60_000);

  it('refuses a masked (bidirectional) model with one line', async () => {
    const result = await iw('estimate', '--model', sharedPath('models', 'gutenberg-roberta-mlm'), '--sequences', '2', '--words', '24', '--readout', 'output', '--quiet');
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/--readout output: .*bidirectional.*causal models only/);
  }, 60_000);
});
