import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { findLayers, loadModel, padBatch, resolveModel } from '../../../src/model/index.js';
import { indexGraph } from '../../../src/model/onnx/graphIndex.js';
import { readOnnxModel } from '../../../src/model/onnx/readOnnxModel.js';
import { UserError } from '../../../src/util/errors.js';
import { capturedIO } from '../../helpers/runIw.js';
import { describeWithShared, sharedPath } from '../../helpers/shared.js';
import { familyFolders, fixtureFamilies, readFamilyReference, sharedFamilies, worstTokenRelativeDifference } from './familyReference.js';

/**
 * Every family stand-in in ../shared/models/families (README there) against its reference: each layer iw taps,
 * fed the reference's input_ids, equals transformers' output_hidden_states to 1e-5 relative per token.
 */
const TOLERANCE = 1e-5;

/**
 * Stand-ins whose layers iw does not find yet, and why. Until then iw must refuse them with a user error (exit 2);
 * once it loads them, they are held to the reference like the rest. (None now: src/model/taps/fusedTaps.ts reads the builder's graphs.)
 */
const NOT_YET: Record<string, string> = {};

const worst = new Map<string, number>();

describeWithShared('every family stand-in of ../shared against its reference hidden states', () => {
  afterAll(() => reportWorst());
  for (const family of familyFolders(sharedFamilies).filter((f) => f.hasReference)) itMatchesReference(family);
});

describe('the family stand-ins shipped with iw (fixtures/models/families) against their reference hidden states', () => {
  afterAll(() => reportWorst());
  for (const family of familyFolders(fixtureFamilies).filter((f) => f.hasReference)) itMatchesReference(family);
});

describeWithShared('the other models of ../shared with a reference (GPT-2 from transformers, RoBERTa in float64)', () => {
  afterAll(() => reportWorst());
  itMatchesReference({ name: 'gutenberg-gpt2-small', folder: sharedPath('models', 'gutenberg-gpt2-small'), referenceFile: 'hf-hidden-states.json' });
  itMatchesReference({ name: 'gutenberg-roberta-mlm', folder: sharedPath('models', 'gutenberg-roberta-mlm') });
});

function reportWorst(): void {
  console.log(`worst relative difference per token: ${[...worst].map(([name, value]) => `${name} ${value.toExponential(2)}`).join(', ')}`);
  worst.clear();
}

function itMatchesReference({ name, folder, referenceFile }: { name: string; folder: string; referenceFile?: string }): void {
  const pending = NOT_YET[name];
  it(`${name}${pending ? ` (not yet: ${pending})` : ''}`, async () => {
    const reference = readFamilyReference(folder, referenceFile);
    const loading = loadModel({ model: folder, threads: 1 });
    if (pending) {
      const refusal = await loading.then(() => undefined, (error: unknown) => error);
      if (refusal !== undefined) {
        expect(refusal).toBeInstanceOf(UserError);
        console.log(`${name}: refused (not yet: ${pending})`);
        return;
      }
    }
    const model = await loading;
    try {
      const layers = model.taps.map((t) => t.layer);
      expect(layers).toEqual(reference.hidden_states.map((_, i) => i));
      const output = await model.forward(padBatch([reference.input_ids], model.acceptsPositionIds), { layers });
      const differences = layers.map((layer) => worstTokenRelativeDifference(output.taps.get(layer)!, reference.hidden_states[layer]));
      console.log(`${name}: per layer ${differences.map((d, l) => `${l}: ${d.toExponential(2)}`).join(', ')}`);
      worst.set(name, Math.max(...differences));
      for (const difference of differences) expect(difference).toBeLessThan(TOLERANCE);
    } finally {
      await model.dispose();
    }
  }, 60_000);
}

describeWithShared('iw layers reads only the graph and config.json', () => {
  // ort-bert-toy-mlm (ONNX Runtime's test data, older torch exporter, opset 12) has no tokenizer; its LayerNorms
  // are decomposed with Sub(x, mean) computed twice. Its parameter names say which norm each layer must be:
  // layer 0 the embeddings' LayerNorm, layer i the output LayerNorm of encoder layer i − 1 (BERT's hidden_states).
  it('lists the 6 layers of a BERT without a tokenizer, each the output of the LayerNorm transformers reports', async () => {
    const folder = sharedPath('models', 'families', 'ort-bert-toy-mlm');
    const io = capturedIO();
    expect(await runCli(['layers', '--model', folder, '--json'], io)).toBe(0);
    const { layers } = JSON.parse(io.out) as { layers: Array<{ layer: number; tensor: string; width: number }> };
    const index = indexGraph((await readOnnxModel(join(folder, 'onnx', 'model.onnx'))).model.graph);
    const biases = ['bert.embeddings.LayerNorm.bias', ...Array.from({ length: 5 }, (_, i) => `bert.encoder.layer.${i}.output.LayerNorm.bias`)];
    expect(layers.map((l) => index.producer.get(l.tensor)?.input.find((input) => input.endsWith('LayerNorm.bias')))).toEqual(biases);
    expect(layers.every((l) => l.width === 32)).toBe(true);
  });
});

describeWithShared('8-bit embedding lookups (Gather of int8, then DequantizeLinear)', () => {
  // transformers.js' q8/int8/uint8 files gather the quantized matrix and dequantize the rows gathered: layer 0 is
  // the dequantized lookup, the other layers are where the fp32 file has them.
  for (const [name, dtypes] of [['stories260K', ['q8', 'int8', 'uint8']], ['gutenberg-gpt2-small', ['q8']]] as const) {
    for (const dtype of dtypes) {
      it(`${name} ${dtype}: the layers of the fp32 file`, async () => {
        const folder = sharedPath('models', 'dtypes', name);
        const fp32 = await findLayers(await resolveModel({ model: folder }));
        const quantized = await findLayers(await resolveModel({ model: folder, dtype }));
        expect(quantized.map((t) => t.tensor)).toEqual(fp32.map((t) => t.tensor));
        const index = indexGraph((await readOnnxModel(join(folder, 'onnx', dtype === 'q8' ? 'model_quantized.onnx' : `model_${dtype}.onnx`))).model.graph);
        const gather = index.graph.node.find((n) => n.op_type === 'Gather' && n.input[1] === 'input_ids');
        expect(index.consumers.get(gather!.output[0])?.map((n) => n.op_type)).toEqual(['DequantizeLinear']); // the structure under test
      });
    }
  }
});
