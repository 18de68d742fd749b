import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel, padBatch, readEmbeddingMatrix, resolveModel } from '../../src/model/index.js';
import { decodeModel } from '../../src/model/onnx/onnxProto.js';
import { tensorToFloat32 } from '../../src/model/onnx/tensorData.js';
import { readFileSync } from 'node:fs';
import { maxAbsDifference, removeDir, sampleWords, stories, tinyGpt2 } from './modelTestKit.js';
import { buildSyntheticDecoder } from './syntheticDecoder.js';
import { syntheticFolder } from './syntheticFolder.js';

describe('the input-embedding matrix', () => {
  const folders: string[] = [];
  afterAll(() => folders.forEach(removeDir));

  it('Llama (stories260K): its rows are exactly layer 0, which has no position term', async () => {
    const model = await loadModel({ model: stories, threads: 1 });
    try {
      const embedding = await readEmbeddingMatrix(model.resolved);
      expect([embedding.vocabularySize, embedding.width]).toEqual([512, 64]); // vocab_size, hidden_size in config.json
      const tokens = model.tokenizer.tokenizeWords(sampleWords.slice(0, 10)).ids;
      const layer0 = (await model.forward(padBatch([tokens], true), { layers: [0] })).taps.get(0)!;
      const rows = tokens.flatMap((id) => Array.from(embedding.values.subarray(id * 64, (id + 1) * 64)));
      expect(maxAbsDifference(layer0, rows)).toBe(0);
    } finally {
      await model.dispose();
    }
  });

  it('GPT-2 (gutenberg-gpt2-tiny): layer 0 minus the token rows is the position table (wpe)', async () => {
    const model = await loadModel({ model: tinyGpt2, threads: 1 });
    try {
      const embedding = await readEmbeddingMatrix(model.resolved);
      expect([embedding.vocabularySize, embedding.width]).toEqual([6144, 64]);
      const tokens = model.tokenizer.tokenizeWords(sampleWords.slice(0, 10)).ids;
      const layer0 = (await model.forward(padBatch([tokens], false), { layers: [0] })).taps.get(0)!;
      const positionTerm = Float32Array.from(layer0, (v, i) => v - embedding.values[tokens[Math.floor(i / 64)] * 64 + (i % 64)]);
      // The position table read by its Hugging Face parameter name, an independent route to the same weights.
      const wpe = decodeModel(readFileSync(model.resolved.onnxPath)).graph.initializer.find((t) => t.name === 'transformer.wpe.weight')!;
      const positions = tensorToFloat32(wpe, join(tinyGpt2, 'onnx')).subarray(0, tokens.length * 64);
      expect(maxAbsDifference(positionTerm, positions)).toBeLessThan(1e-6);
    } finally {
      await model.dispose();
    }
  });

  it('an 8-bit embedding behind DequantizeLinear comes back dequantized: (q − zero point) × scale', async () => {
    const decoder = buildSyntheticDecoder({ vocabulary: 6144, quantizedEmbedding: true });
    const folder = syntheticFolder({ 'model_quantized.onnx': decoder });
    folders.push(folder);
    const embedding = await readEmbeddingMatrix(await resolveModel({ model: folder, dtype: 'q8' }));
    // decoder.embedding holds (q − 128) × 2/255 computed in the test from the very bytes it stored.
    expect(maxAbsDifference(embedding.values, decoder.embedding)).toBeLessThan(1e-7);
  });

  it('fp16 weights come back as float32', async () => {
    const decoder = buildSyntheticDecoder({ vocabulary: 6144, fp16: true });
    const folder = syntheticFolder({ 'model_fp16.onnx': decoder });
    folders.push(folder);
    const embedding = await readEmbeddingMatrix(await resolveModel({ model: folder, dtype: 'fp16' }));
    expect(maxAbsDifference(embedding.values, decoder.embedding)).toBe(0);
  });
});
