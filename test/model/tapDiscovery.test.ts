import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeModel, type OnnxModel } from '../../src/model/onnx/onnxProto.js';
import { planTaps } from '../../src/model/taps/tapPlan.js';
import { findLayers, resolveModel } from '../../src/model/index.js';
import { UserError } from '../../src/util/errors.js';
import { describeWithShared, sharedPath } from '../helpers/shared.js';
import { stories, tinyGpt2 } from './modelTestKit.js';
import { buildSyntheticDecoder } from './syntheticDecoder.js';

const decode = (folder: string, file = 'model.onnx') => decodeModel(readFileSync(join(folder, 'onnx', file)));

describe('finding layers by graph structure', () => {
  it('finds GPT-2\'s embedding sum, block outputs and final norm (opset 14, LayerNorm decomposed)', () => {
    const { taps } = planTaps(decode(tinyGpt2), { fileLabel: 'tiny', expectedBlocks: 2 });
    // Names from the export (HF GPT2LMHeadModel module paths): the input of h.0's ln_1 is wte + wpe, the input
    // of h.1's ln_1 is h.0's second residual add, and the last layer is ln_f's output (scale then shift).
    expect(taps.map((t) => [t.layer, t.tensor, t.role])).toEqual([
      [0, '/transformer/Add_output_0', 'embedding'],
      [1, '/transformer/h.0/Add_1_output_0', 'block'],
      [2, '/transformer/ln_f/Add_1_output_0', 'final-norm'],
    ]);
    expect(taps.every((t) => t.width === 64)).toBe(true); // n_embd of config.json, read here from wte's shape
  });

  it('finds Llama\'s layers (RMSNorm decomposed into Pow/ReduceMean/Add/Sqrt/Div/Mul)', () => {
    const { taps } = planTaps(decode(stories), { fileLabel: 'stories', expectedBlocks: 5 });
    expect(taps.map((t) => t.tensor)).toEqual([
      '/model/embed_tokens/Gather_output_0',
      '/model/layers.0/Add_1_output_0',
      '/model/layers.1/Add_1_output_0',
      '/model/layers.2/Add_1_output_0',
      '/model/layers.3/Add_1_output_0',
      '/model/norm/Mul_1_output_0',
    ]);
  });

  it('finds single LayerNormalization nodes (opset 17), fp16 and 8-bit embeddings alike', () => {
    for (const options of [{}, { fp16: true }, { quantizedEmbedding: true }]) {
      const synthetic = buildSyntheticDecoder({ ...options, blocks: 3 });
      const { taps } = planTaps(decodeModel(synthetic.bytes), { fileLabel: 'synthetic' });
      expect(taps.map((t) => t.tensor)).toEqual(['x0', 'x1', 'x2', 'final']);
      expect(taps.every((t) => t.width === synthetic.width)).toBe(true);
    }
  });

  it('refuses a graph without blocks, saying what it looked for', () => {
    const model = decodeModel(buildSyntheticDecoder().bytes);
    const withoutNorms: OnnxModel = { ...model, graph: { ...model.graph, node: model.graph.node.filter((n) => n.op_type !== 'LayerNormalization') } };
    expect(() => planTaps(withoutNorms, { fileLabel: 'broken.onnx' })).toThrow(UserError);
    expect(() => planTaps(withoutNorms, { fileLabel: 'broken.onnx' })).toThrow(/broken\.onnx: cannot find its layers \(no normalisation on the residual stream \(the stream stops at .*; .*\)\); looked for a Gather of input_ids/);
  });

  it('says which part of the structure was not found, and the closest node', () => {
    const gpt2 = decode(tinyGpt2);
    // The token ids reach the embedding Gather through an op iw does not see through (an Abs).
    const hidden: OnnxModel = {
      ...gpt2,
      graph: {
        ...gpt2.graph,
        node: [
          { op_type: 'Abs', name: 'ids_abs', input: ['input_ids'], output: ['ids_abs_output'], attribute: [] },
          ...gpt2.graph.node.map((n) => (n.name === '/transformer/wte/Gather' ? { ...n, input: [n.input[0], 'ids_abs_output'] } : n)),
        ],
      },
    };
    expect(() => planTaps(hidden, { fileLabel: 'hidden.onnx' })).toThrow(
      /no token embedding \(no Gather of input_ids; closest: Gather \/transformer\/wte\/Gather \(output \/transformer\/wte\/Gather_output_0\), reached from input_ids through ids_abs_output\)/,
    );
    // Without its final norm (ln_f), the last norm on the stream is the last block's ln_2, whose output flows back
    // into the stream through the MLP: not a final norm.
    const lnF = gpt2.graph.node.filter((n) => n.name?.startsWith('/transformer/ln_f/'));
    const headless: OnnxModel = { ...gpt2, graph: { ...gpt2.graph, node: gpt2.graph.node.filter((n) => !lnF.includes(n)).map((n) => (n.op_type === 'MatMul' && n.input[0] === '/transformer/ln_f/Add_1_output_0' ? { ...n, input: ['/transformer/h.1/Add_1_output_0', n.input[1]] } : n)) } };
    expect(() => planTaps(headless, { fileLabel: 'headless.onnx', expectedBlocks: 2 })).toThrow(
      /no final normalisation after the last block \(the last norm on the stream reads \/transformer\/h\.1\/Add_output_0 and feeds the stream again; the stream stops at \/transformer\/h\.1\/Add_1_output_0, read by MatMul \/lm_head\/MatMul\)/,
    );
  });

  it('refuses when the blocks found disagree with the config', () => {
    expect(() => planTaps(decode(tinyGpt2), { fileLabel: 'tiny', expectedBlocks: 12 })).toThrow(/2 blocks, but its config declares 12/);
  });
});

describeWithShared('layers of every shared model', () => {
  // Expected counts from ../shared/models/README.md: n_layer + 1 (embedding, one per block, final norm).
  const expected: Array<[string, number]> = [
    ['gutenberg-gpt2-small', 9],
    ['gutenberg-gpt2-small-step400', 9],
    ['gutenberg-gpt2-small-untrained', 9],
    ['gutenberg-gpt2-tiny', 3],
    ['gutenberg-gpt2-tiny-legacy', 3],
    ['stories260K', 6],
  ];
  for (const [name, count] of expected) {
    it(`${name}: ${count} layers`, async () => {
      const taps = await findLayers(await resolveModel({ model: sharedPath('models', name) }));
      expect(taps.map((t) => t.layer)).toEqual(Array.from({ length: count }, (_, i) => i));
    });
  }

  it('gutenberg-gpt2-tiny-legacy: the same layers in all three of its files', () => {
    const folder = sharedPath('models', 'gutenberg-gpt2-tiny-legacy');
    for (const file of ['decoder_model.onnx', 'decoder_with_past_model.onnx', 'decoder_model_merged.onnx']) {
      expect(planTaps(decode(folder, file), { fileLabel: file, expectedBlocks: 2 }).taps.map((t) => t.tensor)).toEqual([
        '/transformer/Add_output_0',
        '/transformer/h.0/Add_1_output_0',
        '/transformer/ln_f/Add_1_output_0',
      ]);
    }
  });
});
