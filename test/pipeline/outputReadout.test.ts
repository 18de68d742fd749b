import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
  it('writes the output and divergence into windows.csv, fits.csv, the table and the plots; iw check and iw compare read them', async () => {
    const out = mkdtempSync(join(tmpdir(), 'iw-readout-'));
    const result = await iw('estimate', '--model', model, '--stimuli', stimuli, '--readout', 'output', '--quiet', '--out', out);
    expect(result.code).toBe(0);
    for (const figure of ['windows.svg', 'fits.svg']) {
      const svg = readFileSync(join(out, figure), 'utf8');
      expect(svg, figure).toContain('data-label="output"');
      expect(svg, figure).toContain('data-label="divergence"');
    }
    // A baseline whose output fit differs: iw check names it as drift of layer "output".
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    report.output.fit.c = report.output.fit.c > 0.5 ? report.output.fit.c - 0.4 : report.output.fit.c + 0.4;
    delete report.output.intervals;
    delete report.output.divergence.intervals;
    const baseline = join(out, 'baseline.json');
    writeFileSync(baseline, JSON.stringify(report));
    const check = await iw('check', join(out, 'report.json'), '--baseline', baseline);
    expect(check.code, check.stderr).toBe(1);
    expect(check.stdout).toMatch(/^ *output +c +.*DRIFT/m);
    const compare = await iw('compare', join(out, 'report.json'), join(out, 'report.json'), '--labels', 'x,y', '--out', join(out, 'compared'));
    expect(compare.code, compare.stderr).toBe(0);
    expect(compare.stdout).toMatch(/^ *divergence +\d/m);
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
