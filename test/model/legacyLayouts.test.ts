import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadModel, padBatch } from '../../src/model/index.js';
import type { LanguageModel } from '../../src/model/types.js';
import { describeWithShared, sharedPath } from '../helpers/shared.js';
import { folderWith, ids, maxAbsDifference, ones, removeDir, sampleWords, tinyGpt2, tokenRows } from './modelTestKit.js';

/**
 * The older hub layout (what "gpt2" = Xenova/gpt2 downloads): decoder_model.onnx (no past, returns presents),
 * decoder_with_past_model.onnx, and decoder_model_merged.onnx (an If on use_cache_branch holding both).
 * ../shared's gutenberg-gpt2-tiny-legacy holds the weights of gutenberg-gpt2-tiny in that layout, so every
 * layer must equal what the fixture's plain model.onnx gives.
 */
describeWithShared('legacy decoder layouts (gutenberg-gpt2-tiny-legacy)', () => {
  const legacy = sharedPath('models', 'gutenberg-gpt2-tiny-legacy');
  const common = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
  const folders: Record<string, string> = { merged: legacy };
  let plain: LanguageModel;
  let tokens: number[];
  let expected: Map<number, Float32Array>;
  beforeAll(async () => {
    folders.pair = folderWith(legacy, [...common, 'onnx/decoder_model.onnx', 'onnx/decoder_with_past_model.onnx']);
    plain = await loadModel({ model: tinyGpt2, threads: 1 });
    tokens = plain.tokenizer.tokenizeWords(sampleWords.slice(0, 16)).ids;
    expected = (await plain.forward(padBatch([tokens], false), { layers: [0, 1, 2] })).taps;
  });
  afterAll(async () => {
    await plain?.dispose();
    if (folders.pair) removeDir(folders.pair);
  });

  for (const layout of ['merged', 'pair'] as const) {
    it(`${layout}: a full pass equals model.onnx, and a prefix then its past equals the full pass`, async () => {
      const model = await loadModel({ model: folders[layout], threads: 1 });
      try {
        expect(model.resolved.layout).toBe(layout);
        expect(model.acceptsPast).toBe(true);
        expect(model.acceptsPositionIds).toBe(false);
        expect(model.pastLayout).toEqual({ blocks: 2, kvHeads: 4, headDim: 16 });
        const full = await model.forward(padBatch([tokens], false), { layers: [0, 1, 2], wantPresent: true });
        for (const layer of [0, 1, 2]) expect(maxAbsDifference(full.taps.get(layer)!, expected.get(layer)!)).toBeLessThan(1e-6);
        expect(full.present!.length).toBe(tokens.length);
        const split = 6;
        const prefix = await model.forward(padBatch([tokens.slice(0, split)], false), { layers: [0], wantPresent: true });
        const rest = tokens.slice(split);
        const continued = await model.forward(
          { batchSize: 1, sequenceLength: rest.length, inputIds: ids(rest), attentionMask: ones(tokens.length), past: prefix.present },
          { layers: [0, 1, 2], wantPresent: true },
        );
        for (const layer of [0, 1, 2]) {
          expect(maxAbsDifference(continued.taps.get(layer)!, tokenRows(expected.get(layer)!, 0, tokens.length, 64, split, tokens.length))).toBeLessThan(1e-5);
        }
        expect(continued.present!.length).toBe(tokens.length);
      } finally {
        await model.dispose();
      }
    });
  }
});
