import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { loadModel, padBatch } from '../../src/model/index.js';
import { directionFromConfig, isMaskedLmConfig } from '../../src/model/attentionDirection.js';
import { randomizeModelBytes } from '../../src/model/randomize/index.js';
import { decodeModel, encodeModel } from '../../src/model/onnx/onnxProto.js';
import { capturedIO } from '../helpers/runIw.js';
import { describeWithShared, sharedPath } from '../helpers/shared.js';
import { buildPlantedModel } from '../helpers/plantedModel.js';
import { copyFolder, maxAbsDifference, removeDir, tempDir } from './modelTestKit.js';
import { decodedValues, STANDARD_ERRORS, statsOf } from './randomize/tensorStats.js';

/**
 * Post-LayerNorm encoders (../shared/models/gutenberg-roberta-mlm: RoBERTa, 4 layers of 128 units). Its
 * reference/hidden-states.json holds the hidden states of the text in the file computed in float64 by the PyTorch
 * module the model was trained with (weights read back from the ONNX file): [0] = the embeddings' LayerNorm
 * output, [i] = the output of layer i (its second LayerNorm). The input is <s>, every word as " word", </s>.
 */
interface EncoderReference {
  text: string;
  input_ids: number[];
  hidden_states: number[][][];
}

const roberta = sharedPath('models', 'gutenberg-roberta-mlm');
const robertaUntrained = sharedPath('models', 'gutenberg-roberta-mlm-untrained');

describeWithShared('a post-LayerNorm encoder (gutenberg-roberta-mlm)', () => {
  it('iw layers lists its 5 layers: the embeddings\' LayerNorm output and each layer\'s second LayerNorm output', async () => {
    const io = capturedIO();
    expect(await runCli(['layers', '--model', roberta, '--json'], io)).toBe(0);
    const { layers } = JSON.parse(io.out) as { layers: Array<{ layer: number; tensor: string; width: number; role: string }> };
    expect(layers.map((l) => [l.layer, l.tensor, l.role])).toEqual([
      [0, '/m/embeddings/LayerNorm/Add_1_output_0', 'embedding'],
      [1, '/m/layers.0/output_LayerNorm/Add_1_output_0', 'block'],
      [2, '/m/layers.1/output_LayerNorm/Add_1_output_0', 'block'],
      [3, '/m/layers.2/output_LayerNorm/Add_1_output_0', 'block'],
      [4, '/m/layers.3/output_LayerNorm/Add_1_output_0', 'block'],
    ]);
    expect(layers.every((l) => l.width === 128)).toBe(true);
  });

  // The untrained file stores its norm weights once, behind Identity nodes named after each parameter.
  for (const [name, folder] of [['trained', roberta], ['untrained', robertaUntrained]] as const) {
    it(`matches the reference hidden states to 1e-4 (${name}), read as an encoder's input`, async () => {
      const reference = JSON.parse(readFileSync(join(folder, 'reference', 'hidden-states.json'), 'utf8')) as EncoderReference;
      const model = await loadModel({ model: folder, threads: 1 });
      try {
        expect(model.bidirectional).toBe(true);
        expect(model.resolved.contextLength).toBe(128); // 130 position rows, counted from pad_token_id + 1 = 2
        const tokens = model.tokenizer.tokenizeWords(reference.text.split(' '));
        expect(tokens.ids).toEqual(reference.input_ids);
        expect(tokens.wordSpans[0]).toEqual([1, 2]);
        const layers = model.taps.map((t) => t.layer);
        const output = await model.forward(padBatch([tokens.ids], model.acceptsPositionIds), { layers });
        const errors = layers.map((layer) => maxAbsDifference(output.taps.get(layer)!, reference.hidden_states[layer].flat()));
        console.log(`${name}: max |iw − reference| per layer: ${errors.map((e, l) => `${l}: ${e.toExponential(2)}`).join(', ')}`);
        for (const error of errors) expect(error).toBeLessThan(1e-4);
      } finally {
        await model.dispose();
      }
    });
  }

  it('follows the prefix-space rule of every model: --no-prefix-space gives the first word its bare form, </s> still closes', async () => {
    const reference = JSON.parse(readFileSync(join(roberta, 'reference', 'hidden-states.json'), 'utf8')) as EncoderReference;
    const model = await loadModel({ model: roberta, threads: 1, prefixSpace: false });
    try {
      const words = reference.text.split(' ');
      const { ids } = model.tokenizer.tokenizeWords(words);
      expect(ids[1]).not.toBe(reference.input_ids[1]); // "the", not "Ġthe"
      expect(ids.slice(2)).toEqual(reference.input_ids.slice(2));
      expect(model.tokenizer.prefixSpace).toBe(false);
    } finally {
      await model.dispose();
    }
  });

  it('is told bidirectional by its graph when its config does not say', async () => {
    const folder = tempDir('encoder-no-config');
    try {
      copyFolder(roberta, folder);
      const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as Record<string, unknown>;
      delete config.architectures;
      delete config.is_decoder;
      config.model_type = 'unknown-encoder';
      writeFileSync(join(folder, 'config.json'), JSON.stringify(config));
      const model = await loadModel({ model: folder, threads: 1 });
      try {
        expect(model.bidirectional).toBe(true);
      } finally {
        await model.dispose();
      }
    } finally {
      removeDir(folder);
    }
  });

  it('feeds segment ids (all 0) to an export that takes token_type_ids as an input, as BERT exports do', async () => {
    // The stand-in rewritten so that its token-type table is gathered at a token_type_ids input instead of at zeros
    // it makes itself: the same numbers when iw feeds zeros.
    const folder = tempDir('encoder-token-types');
    try {
      copyFolder(roberta, folder);
      const file = join(folder, 'onnx', 'model.onnx');
      const model = decodeModel(readFileSync(file));
      const gather = model.graph.node.find((n) => n.op_type === 'Gather' && n.input[0].includes('token_type_embeddings'))!;
      gather.input[1] = 'token_type_ids';
      const ids = model.graph.input.find((i) => i.name === 'input_ids')!;
      model.graph.input.push({ ...structuredClone(ids), name: 'token_type_ids' });
      writeFileSync(file, encodeModel(model));
      const reference = JSON.parse(readFileSync(join(roberta, 'reference', 'hidden-states.json'), 'utf8')) as EncoderReference;
      const loaded = await loadModel({ model: folder, threads: 1 });
      try {
        const tokens = loaded.tokenizer.tokenizeWords(reference.text.split(' '));
        const output = await loaded.forward(padBatch([tokens.ids], loaded.acceptsPositionIds), { layers: [4] });
        expect(maxAbsDifference(output.taps.get(4)!, reference.hidden_states[4].flat())).toBeLessThan(1e-4);
      } finally {
        await loaded.dispose();
      }
    } finally {
      removeDir(folder);
    }
  });

  it('gets an untrained twin drawn as RoBERTa initializes (tensor by tensor against gutenberg-roberta-mlm-untrained)', () => {
    const config = JSON.parse(readFileSync(join(roberta, 'config.json'), 'utf8')) as Record<string, unknown>;
    const twin = randomizeModelBytes(readFileSync(join(roberta, 'onnx', 'model.onnx')), { seed: 3, config });
    const ours = decodedValues(twin.bytes).values;
    const reference = decodedValues(readFileSync(join(robertaUntrained, 'onnx', 'model.onnx'))).values;
    expect(twin.summary.tensors.length).toBeGreaterThan(60);
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
    // RoBERTa's token and position tables both have a padding row (pad_token_id = 1), zero at initialisation.
    const width = 128;
    for (const table of ['m.embeddings.word_embeddings.weight', 'm.embeddings.position_embeddings.weight']) {
      expect(ours(table).subarray(width, 2 * width).every((v) => v === 0), table).toBe(true);
      expect(reference(table).subarray(width, 2 * width).every((v) => v === 0), table).toBe(true);
    }
  });

  it('iw randomize writes a twin that runs as an encoder', async () => {
    const out = tempDir('encoder-twin');
    try {
      const io = capturedIO();
      expect(await runCli(['randomize', '--model', roberta, '--seed', '2', '--out', join(out, 'twin')], io)).toBe(0);
      const model = await loadModel({ model: join(out, 'twin'), threads: 1 });
      try {
        expect(model.bidirectional).toBe(true);
        expect(model.taps).toHaveLength(5);
      } finally {
        await model.dispose();
      }
    } finally {
      removeDir(out);
    }
  });
});

describe('causal or bidirectional', () => {
  it('reads the config where it says: masked LMs and encoder families are bidirectional, causal LMs causal', () => {
    expect(directionFromConfig({ architectures: ['RobertaForMaskedLM'], model_type: 'roberta', is_decoder: false })).toBe('bidirectional');
    expect(directionFromConfig({ architectures: ['BertForMaskedLM'], model_type: 'bert' })).toBe('bidirectional');
    expect(directionFromConfig({ model_type: 'bert' })).toBe('bidirectional');
    expect(directionFromConfig({ architectures: ['BertLMHeadModel'], model_type: 'bert', is_decoder: true })).toBe('causal');
    // GPT-2 configs omit is_decoder, and older ones carry is_decoder: false: neither makes them encoders.
    expect(directionFromConfig({ architectures: ['GPT2LMHeadModel'], model_type: 'gpt2' })).toBe('causal');
    expect(directionFromConfig({ model_type: 'gpt2', is_decoder: false })).toBe('causal');
    expect(directionFromConfig({ architectures: ['LlamaForCausalLM'], model_type: 'llama' })).toBe('causal');
    expect(directionFromConfig({ model_type: 'planted', is_decoder: false })).toBeUndefined();
    expect(isMaskedLmConfig({ architectures: ['RobertaForMaskedLM'] })).toBe(true);
    expect(isMaskedLmConfig({ architectures: ['GPT2LMHeadModel'] })).toBe(false);
  });

  it('asks the graph when the config is silent: a causal convolution is causal', async () => {
    const folder = tempDir('planted-direction');
    try {
      buildPlantedModel(folder, { width: 4, kernels: [{ a: 1, b: 0.5, c: 0.5 }], maxKernelLag: 3 });
      const model = await loadModel({ model: folder, threads: 1 });
      expect(model.bidirectional).toBe(false);
      await model.dispose();
    } finally {
      removeDir(folder);
    }
  });
});
