import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, padBatch, textActivations } from '../../src/model/index.js';
import type { LanguageModel } from '../../src/model/types.js';
import { createRandom, randomInt } from '../../src/util/random.js';
import { buildPlantedModel, plantedStimuli, plantedWords, type PlantedModel } from '../helpers/plantedModel.js';
import { removeDir, tempDir } from './modelTestKit.js';

/**
 * The planted-window model (test/helpers/plantedModel.ts) through iw's model layer: its layers are found by
 * structure, and every layer's activations equal the closed-form causal convolution of the embedding rows with
 * the planted kernels, computed here in float64 (the expected numbers come from the spec, not from ONNX).
 */
describe('planted integration-window model', () => {
  const folder = tempDir('planted');
  let planted: PlantedModel;
  let model: LanguageModel;
  beforeAll(async () => {
    planted = buildPlantedModel(folder, {
      width: 6,
      maxKernelLag: 20,
      kernels: [
        { a: 0.5, b: 2, c: 0.1 },
        { a: 1, b: 0.5, c: 0.4 },
        { a: 2, b: 0.1, c: 0.9 },
      ],
      seed: 3,
    });
    model = await loadModel({ model: folder, threads: 1 });
  });
  afterAll(async () => {
    await model?.dispose();
    removeDir(folder);
  });

  it('has its layers found: embedding, one block per kernel but the last, and the final norm', () => {
    expect(model.taps).toHaveLength(4);
    expect(model.taps.map((t) => t.role)).toEqual(['embedding', 'block', 'block', 'final-norm']);
    expect(model.taps.map((t) => t.tensor)).toEqual(['hidden.0', 'hidden.1', 'hidden.2', 'final']);
    expect(model.taps.every((t) => t.width === 6)).toBe(true);
  });

  it('gives back the closed-form convolution at every layer, for right-padded rows of two lengths', async () => {
    const random = createRandom(17);
    const rows = [40, 27].map((length) => Array.from({ length }, () => randomInt(random, planted.vocabulary)));
    const layers = [0, 1, 2, 3];
    const output = await model.forward(padBatch(rows, false), { layers });
    rows.forEach((ids, row) => {
      const expected = planted.hiddenStates(ids);
      for (const layer of layers) {
        const tap = output.taps.get(layer)!;
        let worst = 0;
        for (let i = 0; i < ids.length * planted.width; i++) worst = Math.max(worst, Math.abs(tap[row * 40 * planted.width + i] - expected[layer][i]));
        expect(worst, `row ${row}, layer ${layer}`).toBeLessThan(1e-5);
      }
    });
  });

  it('makes stimuli whose swaps change each layer by exactly |K(t − k)|·|v| (word activations)', async () => {
    const words = plantedWords(model.tokenizer);
    // About 1,800 of each parity in this 6,144-piece vocabulary; about 100 of each may also open a text.
    for (const list of [words.even, words.odd]) expect(list.length).toBeGreaterThan(1000);
    for (const list of [words.evenFirst, words.oddFirst]) expect(list.length).toBeGreaterThan(50);
    const stimuli = plantedStimuli(model.tokenizer, { sequences: 2, words: 30, seed: 5 });
    expect(stimuli.sequences[1].words).toHaveLength(30);
    const sequence = stimuli.sequences[0];
    const swapAt = [0, 4, 13, 29];
    const variants = [sequence.words, ...swapAt.map((k) => sequence.words.map((w, i) => (i === k ? sequence.swaps[k]! : w)))];
    const activations: number[][][] = []; // [variant][layer] → [words × width], as `iw activations --per-word` gives them
    for (const variant of variants) activations.push((await textActivations(model, variant.join(' '), [0, 1, 2, 3], true)).layers.map((l) => l.values.flat()));
    swapAt.forEach((k, s) => {
      for (const layer of [0, 1, 2, 3]) {
        const original = activations[0][layer];
        const swapped = activations[s + 1][layer];
        let worst = 0;
        for (let t = 0; t < 30; t++) {
          for (let u = 0; u < planted.width; u++) {
            const expected = Math.abs(planted.kernel(layer, u, t - k) * planted.swapDirection[u]);
            worst = Math.max(worst, Math.abs(Math.abs(swapped[t * planted.width + u] - original[t * planted.width + u]) - expected));
          }
        }
        expect(worst, `swap at ${k}, layer ${layer}`).toBeLessThan(1e-5);
      }
    });
  });

  it('plants windows equal to the mixture curve at every unit (sign and scale of the unit cancel)', () => {
    // f(Δ) = c(Δ+1)^(−a) + (1−c)e^(−bΔ) for layer 2's (a, b, c) = (1, 0.5, 0.4), with f(0) = 1.
    for (const lag of [0, 1, 5, 20]) {
      const f = 0.4 * (lag + 1) ** -1 + 0.6 * Math.exp(-0.5 * lag);
      for (let u = 0; u < planted.width; u++) expect(planted.window(2, u, lag)).toBeCloseTo(f, 6);
    }
    expect(planted.window(2, 0, 21)).toBe(0);
  });
});
