import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { randomizeModelBytes, writeRandomizedModel } from '../../../src/model/randomize/index.js';
import { loadModel, padBatch, resolveModel } from '../../../src/model/index.js';
import { describeWithShared, sharedPath } from '../../helpers/shared.js';
import { folderWith, maxAbsDifference, removeDir, sampleWords, tempDir } from '../modelTestKit.js';
import { decodedValues, STANDARD_ERRORS, statsOf } from './tensorStats.js';

/**
 * Against ../shared/models/gutenberg-gpt2-small-untrained, made by the architecture's own initializer (GPT-2,
 * seed 1; it stores the shared all-ones / all-zeros vectors once, behind Identity nodes named after each
 * parameter). Two independent samples of n normal(0, σ) draws differ in mean by a standard error of σ·√(2/n)
 * and in sample standard deviation by σ/√n (each has σ/√(2n)); σ is taken from the reference tensor itself.
 * Allowed: 5 standard errors. Constant tensors (norm scales, biases) must agree exactly.
 */
describeWithShared('untrained twin of gutenberg-gpt2-small vs gutenberg-gpt2-small-untrained', () => {
  it('agrees with the reference initialisation tensor by tensor (mean and standard deviation)', () => {
    const trained = sharedPath('models', 'gutenberg-gpt2-small');
    const config = JSON.parse(readFileSync(join(trained, 'config.json'), 'utf8')) as Record<string, unknown>;
    const twin = randomizeModelBytes(readFileSync(join(trained, 'onnx', 'model.onnx')), { seed: 11, config });
    const ours = decodedValues(twin.bytes).values;
    const reference = decodedValues(readFileSync(sharedPath('models', 'gutenberg-gpt2-small-untrained', 'onnx', 'model.onnx'))).values;
    expect(twin.summary.tensors).toHaveLength(101);
    for (const { name } of twin.summary.tensors) {
      const a = statsOf(ours(name));
      const b = statsOf(reference(name));
      if (b.std === 0) {
        expect(a.std, name).toBe(0);
        expect(a.mean, name).toBe(b.mean);
      } else {
        expect(Math.abs(a.mean - b.mean), name).toBeLessThan(STANDARD_ERRORS * b.std * Math.sqrt(2 / b.count));
        expect(Math.abs(a.std - b.std), name).toBeLessThan(STANDARD_ERRORS * b.std / Math.sqrt(b.count));
      }
    }
  });
});

/**
 * The older layout's files (decoder_model.onnx + decoder_with_past_model.onnx, or the merged If) name their
 * weights alike, and each tensor's draws depend only on (seed, name): the pair's twin files hold the same
 * weights, and the merged twin gives the very activations of the pair's twin.
 */
describeWithShared('untrained twins of the legacy layouts (gutenberg-gpt2-tiny-legacy)', () => {
  const legacy = sharedPath('models', 'gutenberg-gpt2-tiny-legacy');
  const parent = tempDir('twin-legacy');
  const pairFolder = folderWith(legacy, ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/decoder_model.onnx', 'onnx/decoder_with_past_model.onnx'], 'copy');
  afterAll(() => {
    removeDir(parent);
    removeDir(pairFolder);
  });

  it('gives the pair the same weights and the merged file the same activations', async () => {
    const pair = await writeRandomizedModel(await resolveModel({ model: pairFolder }), { seed: 2, out: join(parent, 'pair'), quiet: true });
    const merged = await writeRandomizedModel(await resolveModel({ model: legacy }), { seed: 2, out: join(parent, 'merged'), quiet: true });
    expect(Object.keys(pair.summaries).sort()).toEqual(['onnx/decoder_model.onnx', 'onnx/decoder_with_past_model.onnx']);
    const full = decodedValues(readFileSync(join(pair.folder, 'onnx', 'decoder_model.onnx'))).values;
    const withPast = decodedValues(readFileSync(join(pair.folder, 'onnx', 'decoder_with_past_model.onnx'))).values;
    for (const name of ['model.transformer.wte.weight', 'model.transformer.h.1.mlp.c_proj.weight', 'model.transformer.ln_f.weight']) {
      expect(maxAbsDifference(full(name), withPast(name)), name).toBe(0);
    }
    const a = await loadModel({ model: pair.folder, threads: 1 });
    const b = await loadModel({ model: merged.folder, threads: 1 });
    try {
      expect(a.resolved.layout).toBe('pair');
      expect(b.resolved.layout).toBe('merged');
      const tokens = a.tokenizer.tokenizeWords(sampleWords.slice(0, 12)).ids;
      const x = await a.forward(padBatch([tokens], false), { layers: [0, 1, 2] });
      const y = await b.forward(padBatch([tokens], false), { layers: [0, 1, 2] });
      for (const layer of [0, 1, 2]) expect(maxAbsDifference(x.taps.get(layer)!, y.taps.get(layer)!), `layer ${layer}`).toBeLessThan(1e-6);
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });
});
