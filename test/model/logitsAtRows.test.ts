import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadModel } from '../../src/model/index.js';
import { findLogitsHead } from '../../src/model/onnx/logitsAtRows.js';
import { readOnnxModel } from '../../src/model/onnx/readOnnxModel.js';
import type { ForwardInput, LanguageModel, LoadModelOptions } from '../../src/model/types.js';
import { describeWithShared, fixturePath, sharedPath } from '../helpers/shared.js';
import { stories, tinyGpt2 } from './modelTestKit.js';

/** Three rows of eight tokens, no padding. */
function batchOf(vocabulary: number): ForwardInput {
  const batchSize = 3, sequenceLength = 8;
  return {
    batchSize, sequenceLength,
    inputIds: BigInt64Array.from({ length: batchSize * sequenceLength }, (_, i) => BigInt((i * 7919) % Math.min(vocabulary, 200) + 3)),
    attentionMask: new BigInt64Array(batchSize * sequenceLength).fill(1n),
  };
}

/** Chosen tokens as flat positions row × 8 + position: one alone, three across rows, most of the batch in reverse. */
const CHOICES = [[5], [0, 9, 23], Array.from({ length: 17 }, (_, i) => 20 - i)];

/**
 * For each choice, the logits the model returns at the chosen tokens against every token's logits from the graph
 * as exported: the number of entries that differ at all (the projection on chosen rows must give the same bits).
 */
async function unequalEntries(folder: string, options: Partial<LoadModelOptions> = {}): Promise<{ unequal: number; compared: number }> {
  const every = await loadModel({ model: folder, quiet: true, logits: 'all', ...options });
  const chosen = await loadModel({ model: folder, quiet: true, logits: 'rows', ...options });
  try {
    const input = batchOf(every.tokenizer.vocabularySize);
    const all = (await every.forward(input, { layers: [], wantLogits: true })).logits!;
    const vocabulary = all.length / (input.batchSize * input.sequenceLength);
    let unequal = 0, compared = 0;
    for (const choice of CHOICES) {
      const rows = (await chosen.forward(input, { layers: [], logitRows: Int32Array.from(choice) })).logits!;
      expect(rows.length).toBe(choice.length * vocabulary);
      choice.forEach((flat, i) => {
        for (let v = 0; v < vocabulary; v++, compared++) if (rows[i * vocabulary + v] !== all[flat * vocabulary + v]) unequal++;
      });
    }
    return { unequal, compared };
  } finally {
    await every.dispose();
    await chosen.dispose();
  }
}

async function headOf(file: string) {
  const { model } = await readOnnxModel(file);
  return findLogitsHead(model, 'logits');
}

describe('the vocabulary projection on chosen tokens only', () => {
  it('finds the head from the final hidden state: one MatMul (GPT-2), or MatMul then a bias (GPT-J)', async () => {
    expect((await headOf(join(tinyGpt2, 'onnx', 'model.onnx')))?.nodes.map((n) => n.op_type)).toEqual(['MatMul']);
    expect((await headOf(fixturePath('models', 'families', 'gptj-tiny', 'onnx', 'model.onnx')))?.nodes.map((n) => n.op_type)).toEqual(['MatMul', 'Add']);
  });

  it('gives the chosen tokens the bits of every token\'s logits, whatever else is chosen', async () => {
    for (const folder of [tinyGpt2, stories, fixturePath('models', 'families', 'gptj-tiny')]) {
      const { unequal, compared } = await unequalEntries(folder);
      expect(compared).toBeGreaterThan(0);
      expect(unequal, folder).toBe(0);
    }
  });
});

describeWithShared('chosen tokens on other heads and files (../shared)', () => {
  it('finds no head it could cut where the logits come out of an If, or from a projection quantized per tensor', async () => {
    expect(await headOf(sharedPath('models', 'gutenberg-gpt2-tiny-legacy', 'onnx', 'decoder_model_merged.onnx'))).toBeUndefined();
    expect(await headOf(sharedPath('models', 'dtypes', 'stories260K', 'onnx', 'model_int8.onnx'))).toBeUndefined();
  });

  it('gives the same bits with Gemma 2\'s soft-capping, fp16, 4-bit and NF4 heads, and from every token\'s logits where it cannot cut', async () => {
    const cases: Array<[string, Partial<LoadModelOptions>]> = [
      [sharedPath('models', 'families', 'gemma2-tiny'), {}],
      [sharedPath('models', 'dtypes', 'stories260K'), { dtype: 'fp16' }],
      [sharedPath('models', 'dtypes', 'stories260K'), { dtype: 'q4' }],
      [sharedPath('models', 'dtypes', 'stories260K'), { dtype: 'bnb4' }],
      [sharedPath('models', 'dtypes', 'stories260K'), { dtype: 'int8' }],
    ];
    for (const [folder, options] of cases) expect((await unequalEntries(folder, options)).unequal, `${folder} ${options.dtype ?? ''}`).toBe(0);
  });
});

describe('a model loaded for chosen logits, asked for none', () => {
  let model: LanguageModel;
  beforeAll(async () => { model = await loadModel({ model: tinyGpt2, quiet: true, logits: 'rows' }); });
  afterAll(async () => { await model.dispose(); });

  it('runs with an empty choice and returns layers only', async () => {
    const output = await model.forward(batchOf(model.tokenizer.vocabularySize), { layers: [0] });
    expect(output.logits).toBeUndefined();
    expect(output.taps.get(0)?.length).toBeGreaterThan(0);
  });
});
