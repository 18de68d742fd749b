import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadModel, padBatch } from '../../../src/model/index.js';
import { describeWithShared, sharedPath } from '../../helpers/shared.js';

/**
 * onnxruntime-genai builder exports (../shared/models/families/genai-*: fused EmbedLayerNormalization /
 * SkipLayerNormalization / Attention and SkipSimplifiedLayerNormalization / GroupQueryAttention graphs): every layer
 * iw taps equals the float64 hidden states of a PyTorch GPT-2 / Llama fed the weights read from the fused graph
 * (reference/hidden-states.json, transformers' output_hidden_states convention) to 1e-5 relative per token.
 */
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

describeWithShared('onnxruntime-genai builder exports against their reference hidden states', () => {
  const cases = [
    { name: 'genai-gpt2-fp32', layers: 6, tensors: ['EmbedLayerNormalization_0_embedding_sum', '/transformer/h.0/Add_1_output_0'] },
    { name: 'genai-llama-gqa-fp32', layers: 3, tensors: ['/model/embed_tokens/Gather/output_0', '/model/layers.1/input_layernorm/output_3'] },
  ];
  for (const { name, layers, tensors } of cases) {
    it(`${name}: every layer within 1e-5 relative`, async () => {
      const folder = sharedPath('models', 'families', name);
      const reference = JSON.parse(readFileSync(join(folder, 'reference', 'hidden-states.json'), 'utf8')) as Reference;
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
