import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { windowCurve } from '../../src/analysis/index.js';
import { loadWordTokenizer, resolveModel } from '../../src/model/index.js';
import { estimate } from '../../src/pipeline/index.js';
import { estimateOptionSpecs } from '../../src/config/options/estimateRun.js';
import { resolveOptions } from '../../src/config/resolve.js';
import type { Report } from '../../src/report/index.js';
import { formatStimuliJson } from '../../src/stimuli/index.js';
import { buildPlantedModel, plantedStimuli, type PlantedKernel } from '../helpers/plantedModel.js';
import { removeDir, tempDir } from '../model/modelTestKit.js';

/**
 * The whole pipeline on a model whose answer is known: an ONNX graph (built by the test) whose layer ℓ is a
 * causal convolution of the embedding with the kernel c(Δ+1)^−a + (1−c)e^(−bΔ), and stimuli whose every swap
 * moves the input by the same vector, so that every unit's window is exactly that kernel over its value at 0
 * (test/helpers/plantedModel.ts). The expected windows and parameters come from the planted kernels alone.
 */
const kernels: PlantedKernel[] = [
  { a: 0, b: 0.4, c: 0 }, // pure exponential
  { a: 1.3, b: 0, c: 1 }, // pure power law
  { a: 2.5, b: 0.15, c: 0.6 }, // a mixture
];
const maxLag = 12;

describe('a planted integration window through the whole pipeline', () => {
  const folder = tempDir('planted-pipeline');
  let report: Report;
  beforeAll(async () => {
    buildPlantedModel(folder, { width: 8, kernels, maxKernelLag: 30, seed: 5 });
    const tokenizer = await loadWordTokenizer(await resolveModel({ model: folder }));
    const stimuliPath = join(folder, 'stimuli.json');
    writeFileSync(stimuliPath, formatStimuliJson(plantedStimuli(tokenizer, { sequences: 4, words: 20, seed: 2 })));
    const options = resolveOptions(estimateOptionSpecs, { model: folder, stimuli: stimuliPath, maxLag, quiet: true });
    report = (await estimate(options)).report;
  });
  afterAll(() => removeDir(folder));

  it('gives back each planted kernel as the population window, to float32 precision', () => {
    kernels.forEach(({ a, b, c }, i) => {
      const layer = report.layers.find((l) => l.layer === i + 1)!;
      const planted = Array.from({ length: maxLag + 1 }, (_, lag) => windowCurve({ a, b, c }, lag));
      layer.window.forEach((value, lag) => expect(Math.abs(value - planted[lag]), `layer ${i + 1} lag ${lag}`).toBeLessThan(1e-5));
      layer.unitWindow.median.forEach((value, lag) => expect(Math.abs(value - planted[lag])).toBeLessThan(1e-5));
    });
    // Layer 0 (the embedding) integrates nothing: 1 at lag 0, 0 after.
    expect(report.layers[0].window.slice(1).every((v) => Math.abs(v) < 1e-6)).toBe(true);
  });

  it('recovers the parameters that shape each curve within 1 %', () => {
    const within = (value: number, truth: number, scale: number) => Math.abs(value - truth) <= 0.01 * scale;
    const [exponential, powerLaw, mixture] = [1, 2, 3].map((l) => report.layers.find((x) => x.layer === l)!.fit.population);
    expect(within(exponential.c, 0, 1) && within(exponential.b, 0.4, 0.4)).toBe(true);
    expect(within(powerLaw.c, 1, 1) && within(powerLaw.a, 1.3, 1.3)).toBe(true);
    expect(within(mixture.a, 2.5, 2.5) && within(mixture.b, 0.15, 0.15) && within(mixture.c, 0.6, 0.6)).toBe(true);
  });
});
