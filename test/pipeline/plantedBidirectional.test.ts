import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { windowCurve } from '../../src/analysis/index.js';
import { loadModel, padBatch, resolveModel } from '../../src/model/index.js';
import { loadEncoderWordTokenizer } from '../../src/model/tokenizer/encoderWords.js';
import { estimate } from '../../src/pipeline/index.js';
import { estimateOptionSpecs } from '../../src/config/options/estimateRun.js';
import { resolveOptions } from '../../src/config/resolve.js';
import type { Report } from '../../src/report/index.js';
import { formatStimuliJson } from '../../src/stimuli/index.js';
import { createRandom, randomInt } from '../../src/util/random.js';
import { buildPlantedModel, plantedStimuli, type PlantedKernel, type PlantedModel } from '../helpers/plantedModel.js';
import { removeDir, tempDir } from '../model/modelTestKit.js';

/**
 * A bidirectional model whose answer is known: an ONNX graph (built by the test) whose layer ℓ convolves the
 * embedding with a two-sided kernel, c(Δ+1)^−a + (1−c)e^(−bΔ) over the words before t and another such curve over
 * the words after it (test/helpers/plantedModel.ts, futureKernels). Its config says nothing of its attention, so iw
 * tells it is bidirectional from the graph. Every swap moves the input by the same vector, so every unit's window is
 * exactly the kernel over its value at 0, on each side; the expected windows and parameters come from the spec alone.
 */
const kernels: PlantedKernel[] = [
  { a: 0, b: 0.4, c: 0 }, // pure exponential
  { a: 1.3, b: 0, c: 1 }, // pure power law
  { a: 2.5, b: 0.15, c: 0.6 }, // a mixture
];
const futureKernels: PlantedKernel[] = [
  { a: 0.8, b: 0, c: 1 }, // a power law ahead of an exponential behind
  { a: 0, b: 1.1, c: 0 }, // a steep exponential
  { a: 1.6, b: 0.3, c: 0.3 }, // another mixture
];
const maxLag = 12;

describe('a planted bidirectional model through the whole pipeline', () => {
  const folder = tempDir('planted-bidirectional');
  let planted: PlantedModel;
  let report: Report;
  beforeAll(async () => {
    planted = buildPlantedModel(folder, { width: 8, kernels, futureKernels, maxKernelLag: 30, seed: 5 });
    const tokenizer = await loadEncoderWordTokenizer(await resolveModel({ model: folder }));
    const stimuliPath = join(folder, 'stimuli.json');
    writeFileSync(stimuliPath, formatStimuliJson(plantedStimuli(tokenizer, { sequences: 4, words: 20, seed: 2 })));
    const options = resolveOptions(estimateOptionSpecs, { model: folder, stimuli: stimuliPath, maxLag, quiet: true, bootstrap: 20 });
    report = (await estimate(options)).report;
  });
  afterAll(() => removeDir(folder));

  it('is run as bidirectional (told by its graph) and its activations are the two-sided convolution', async () => {
    const model = await loadModel({ model: folder, threads: 1 });
    try {
      expect(model.bidirectional).toBe(true);
      const random = createRandom(4);
      const ids = Array.from({ length: 25 }, () => randomInt(random, planted.vocabulary));
      const output = await model.forward(padBatch([ids], false), { layers: [0, 1, 2, 3] });
      const expected = planted.hiddenStates(ids);
      for (const layer of [0, 1, 2, 3]) {
        const tap = output.taps.get(layer)!;
        let worst = 0;
        for (let i = 0; i < expected[layer].length; i++) worst = Math.max(worst, Math.abs(tap[i] - expected[layer][i]));
        expect(worst, `layer ${layer}`).toBeLessThan(1e-5);
      }
    } finally {
      await model.dispose();
    }
  });

  it('gives back both sides of each planted kernel as the population windows, to float32 precision', () => {
    expect(report.notes.some((n) => n.startsWith('engine: bidirectional'))).toBe(true);
    kernels.forEach((kernel, i) => {
      const layer = report.layers.find((l) => l.layer === i + 1)!;
      const past = Array.from({ length: maxLag + 1 }, (_, lag) => windowCurve(kernel, lag));
      const future = Array.from({ length: maxLag + 1 }, (_, lag) => windowCurve(futureKernels[i], lag));
      layer.window.forEach((value, lag) => expect(Math.abs(value - past[lag]), `layer ${i + 1} lag ${lag}`).toBeLessThan(1e-5));
      layer.future!.window.forEach((value, lag) => expect(Math.abs(value - future[lag]), `layer ${i + 1} future lag ${lag}`).toBeLessThan(1e-5));
      layer.future!.unitWindow.median.forEach((value, lag) => expect(Math.abs(value - future[lag])).toBeLessThan(1e-5));
    });
    // Layer 0 (the embedding) integrates nothing, on either side.
    expect(report.layers[0].window.slice(1).every((v) => Math.abs(v) < 1e-6)).toBe(true);
    expect(report.layers[0].future!.window.slice(1).every((v) => Math.abs(v) < 1e-6)).toBe(true);
  });

  it('recovers the future side\'s parameters within 1 %, with intervals around them', () => {
    const within = (value: number, truth: number, scale: number) => Math.abs(value - truth) <= 0.01 * scale;
    const [powerLaw, exponential, mixture] = [1, 2, 3].map((l) => report.layers.find((x) => x.layer === l)!.future!.fit.population);
    expect(within(powerLaw.c, 1, 1) && within(powerLaw.a, 0.8, 0.8)).toBe(true);
    expect(within(exponential.c, 0, 1) && within(exponential.b, 1.1, 1.1)).toBe(true);
    expect(within(mixture.a, 1.6, 1.6) && within(mixture.b, 0.3, 0.3) && within(mixture.c, 0.3, 0.3)).toBe(true);
    for (const layer of report.layers.slice(1)) expect(layer.future!.intervals).toBeDefined();
    const c = report.layers[3].future!.intervals!.c!;
    expect(c[0]).toBeLessThanOrEqual(0.3 + 1e-3);
    expect(c[1]).toBeGreaterThanOrEqual(0.3 - 1e-3);
  });
});

