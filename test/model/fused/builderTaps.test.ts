import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadModel, padBatch } from '../../../src/model/index.js';
import { describeWithShared, sharedPath } from '../../helpers/shared.js';
import { removeDir } from '../modelTestKit.js';
import { builderVariant } from './builderVariants.js';

/**
 * onnxruntime-genai builder exports (../shared/models/families/genai-*: fused EmbedLayerNormalization /
 * SkipLayerNormalization / Attention and SkipSimplifiedLayerNormalization / GroupQueryAttention graphs): every layer
 * iw taps equals the float64 hidden states of a PyTorch GPT-2 / Llama fed the weights read from the fused graph
 * (reference/hidden-states.json, transformers' output_hidden_states convention) to 1e-5 relative per token.
 */
const cases = [
  { name: 'genai-gpt2-fp32', layers: 6, tensors: ['EmbedLayerNormalization_0_embedding_sum', '/transformer/h.0/Add_1_output_0'] },
  { name: 'genai-llama-gqa-fp32', layers: 3, tensors: ['/model/embed_tokens/Gather/output_0', '/model/layers.1/input_layernorm/output_3'] },
];

interface Reference {
  input_ids: number[];
  hidden_states: number[][][];
}

/** For each token, max |a − reference| over its units over max |reference|; the worst token. */
export function worstRelative(actual: ArrayLike<number>, reference: readonly number[][]): number {
  const width = reference[0].length;
  let worst = 0;
  reference.forEach((row, token) => {
    let difference = 0;
    let scale = 0;
    row.forEach((value, unit) => {
      difference = Math.max(difference, Math.abs(actual[token * width + unit] - value));
      scale = Math.max(scale, Math.abs(value));
    });
    worst = Math.max(worst, difference / (scale || 1));
  });
  return worst;
}

function readReference(folder: string): Reference {
  return JSON.parse(readFileSync(join(folder, 'reference', 'hidden-states.json'), 'utf8')) as Reference;
}

describeWithShared('onnxruntime-genai builder exports against their reference hidden states', () => {
  for (const { name, layers, tensors } of cases) {
    it(`${name}: every layer within 1e-5 relative`, async () => {
      const folder = sharedPath('models', 'families', name);
      const reference = readReference(folder);
      const model = await loadModel({ model: folder, threads: 1 });
      try {
        expect(model.taps.map((t) => t.layer)).toEqual(reference.hidden_states.map((_, i) => i));
        expect(model.taps).toHaveLength(layers);
        // layer 0 is the raw embedding, layer 1 the residual sum (output 3) of the Skip node that opens block 1
        expect(model.taps.slice(0, 2).map((t) => t.tensor)).toEqual(tensors);
        expect(model.taps[layers - 1].role).toBe('final-norm');
        const all = model.taps.map((t) => t.layer);
        const output = await model.forward(padBatch([reference.input_ids], model.acceptsPositionIds), { layers: all });
        const differences = all.map((layer) => worstRelative(output.taps.get(layer)!, reference.hidden_states[layer]));
        console.log(`${name}: worst relative difference per layer ${differences.map((d) => d.toExponential(2)).join(', ')}`);
        for (const difference of differences) expect(difference).toBeLessThan(1e-5);
      } finally {
        await model.dispose();
      }
    }, 60_000);
  }
});

describeWithShared('fp16 builder exports (half-precision copies, as the builder writes them with io_dtype float16)', () => {
  for (const { name } of cases) {
    it(`${name} in fp16: fp16 past fed and read back; layers within fp16 rounding of the reference; a pass on a past equals the full pass`, async () => {
      const source = sharedPath('models', 'families', name);
      const folder = builderVariant(source, { fp16: true });
      const model = await loadModel({ model: folder, threads: 1 });
      try {
        const reference = readReference(source);
        const all = model.taps.map((t) => t.layer);
        const ids = reference.input_ids;
        const full = await model.forward(padBatch([ids], model.acceptsPositionIds), { layers: all });
        const differences = all.map((layer) => worstRelative(full.taps.get(layer)!, reference.hidden_states[layer]));
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
      const ids = readReference(source).input_ids;
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
