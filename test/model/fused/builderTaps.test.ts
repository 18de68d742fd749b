import { join } from 'node:path';
import { expect, it } from 'vitest';
import { findLayers, loadModel, padBatch, readEmbeddingMatrix, resolveModel } from '../../../src/model/index.js';
import { describeWithShared, sharedPath } from '../../helpers/shared.js';
import { maxAbsDifference, removeDir } from '../modelTestKit.js';
import { builderVariant } from './builderVariants.js';
import { readFamilyReference, worstTokenRelativeDifference } from '../families/familyReference.js';

/**
 * onnxruntime-genai builder exports (../shared/models/families/genai-*: fused EmbedLayerNormalization /
 * SkipLayerNormalization / Attention and SkipSimplifiedLayerNormalization / GroupQueryAttention graphs). Their layers
 * against the reference hidden states are checked with every stand-in (test/model/families/families.test.ts); here:
 * which tensor each layer is, and the builder's other settings (fp16, int32 inputs).
 */
const cases = [
  { name: 'genai-gpt2-fp32', tensors: ['EmbedLayerNormalization_0_embedding_sum', '/transformer/h.0/Add_1_output_0', '/transformer/h.1/Add_1_output_0', '/transformer/h.2/Add_1_output_0', '/transformer/h.3/Add_1_output_0', '/transformer/ln_f/Add_1_output_0'] },
  { name: 'genai-llama-gqa-fp32', tensors: ['/model/embed_tokens/Gather/output_0', '/model/layers.1/input_layernorm/output_3', '/model/layers.2/final_norm_layernorm/output_0'] },
];

describeWithShared('onnxruntime-genai builder exports: the layers are the fused graph\'s residual sums', () => {
  for (const { name, tensors } of cases) {
    it(`${name}: raw embedding, output 3 of each Skip node opening a block's attention, the final Skip node's output 0`, async () => {
      const taps = await findLayers(await resolveModel({ model: sharedPath('models', 'families', name) }));
      expect(taps.map((t) => t.tensor)).toEqual(tensors);
      expect(taps.map((t) => t.role)).toEqual(['embedding', ...tensors.slice(2).map(() => 'block'), 'final-norm']);
    });
  }
});

describeWithShared('fp16 builder exports (half-precision copies, as the builder writes them with io_dtype float16)', () => {
  for (const { name } of cases) {
    it(`${name} in fp16: fp16 past fed and read back; layers within fp16 rounding of the reference; a pass on a past equals the full pass`, async () => {
      const source = sharedPath('models', 'families', name);
      const folder = builderVariant(source, { fp16: true });
      const model = await loadModel({ model: folder, threads: 1 });
      try {
        const reference = readFamilyReference(source);
        const all = model.taps.map((t) => t.layer);
        const ids = reference.input_ids;
        const full = await model.forward(padBatch([ids], model.acceptsPositionIds), { layers: all });
        const differences = all.map((layer) => worstTokenRelativeDifference(full.taps.get(layer)!, reference.hidden_states[layer]));
        console.log(`${name} fp16: worst relative difference per layer ${differences.map((d) => d.toExponential(2)).join(', ')}`);
        for (const difference of differences) expect(difference).toBeLessThan(2e-2);
        // the first 6 tokens, then the rest on their past (fp16 keys/values out of the first pass, fed back)
        const head = await model.forward(padBatch([ids.slice(0, 6)], model.acceptsPositionIds), { layers: [], wantPresent: true });
        const rest = ids.slice(6);
        const total = ids.length;
        const tail = await model.forward({
          batchSize: 1,
          sequenceLength: rest.length,
          inputIds: BigInt64Array.from(rest, BigInt),
          attentionMask: new BigInt64Array(total).fill(1n),
          ...(model.acceptsPositionIds ? { positionIds: BigInt64Array.from(rest, (_, i) => BigInt(6 + i)) } : {}),
          past: head.present,
        }, { layers: all });
        const last = all[all.length - 1];
        const width = model.taps[last].width;
        const fullTail = full.taps.get(last)!.subarray(6 * width);
        let worst = 0;
        for (let i = 0; i < fullTail.length; i++) worst = Math.max(worst, Math.abs(fullTail[i] - tail.taps.get(last)![i]));
        console.log(`${name} fp16: a pass on an fp16 past vs the full pass, last layer: ${worst.toExponential(2)}`);
        expect(worst).toBeLessThan(1e-2);
      } finally {
        await model.dispose();
        removeDir(join(folder, '..'));
      }
    }, 60_000);
  }
});

describeWithShared('int32 ids, mask and positions (a builder option)', () => {
  it('genai-gpt2-fp32 with int32 inputs: fed as int32, the same layers as with int64', async () => {
    const source = sharedPath('models', 'families', 'genai-gpt2-fp32');
    const folder = builderVariant(source, { int32: true });
    const [wide, narrow] = [await loadModel({ model: source, threads: 1 }), await loadModel({ model: folder, threads: 1 })];
    try {
      const ids = readFamilyReference(source).input_ids;
      const layers = wide.taps.map((t) => t.layer);
      const [a, b] = await Promise.all([wide, narrow].map((m) => m.forward(padBatch([ids], true), { layers })));
      for (const layer of layers) expect(b.taps.get(layer)).toEqual(a.taps.get(layer));
    } finally {
      await wide.dispose();
      await narrow.dispose();
      removeDir(join(folder, '..'));
    }
  });
});

describeWithShared('the token embedding of a fused graph (EmbedLayerNormalization\'s word embedding)', () => {
  it('genai-gpt2-fp32: read for embedding-matched swaps; with the tied LM head, final norm × Eᵀ = the graph\'s logits', async () => {
    const model = await loadModel({ model: sharedPath('models', 'families', 'genai-gpt2-fp32'), logits: 'all', threads: 1 });
    try {
      const embedding = await readEmbeddingMatrix(model.resolved);
      expect([embedding.vocabularySize, embedding.width]).toEqual([1000, 32]);
      const ids = readFamilyReference(sharedPath('models', 'families', 'genai-gpt2-fp32')).input_ids;
      const last = model.taps.length - 1;
      const output = await model.forward(padBatch([ids], true), { layers: [last], wantLogits: true });
      const finalNorm = output.taps.get(last)!;
      const { width, vocabularySize, values } = embedding;
      const products = new Float32Array(ids.length * vocabularySize);
      for (let t = 0; t < ids.length; t++) {
        for (let v = 0; v < vocabularySize; v++) {
          let sum = 0;
          for (let u = 0; u < width; u++) sum += finalNorm[t * width + u] * values[v * width + u];
          products[t * vocabularySize + v] = sum;
        }
      }
      expect(maxAbsDifference(products, output.logits!)).toBeLessThan(1e-4);
    } finally {
      await model.dispose();
    }
  });
});
