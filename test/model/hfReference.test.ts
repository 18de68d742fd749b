import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, loadWordTokenizer, padBatch, readEmbeddingMatrix } from '../../src/model/index.js';
import type { LanguageModel } from '../../src/model/types.js';
import { describeWithShared, sharedPath } from '../helpers/shared.js';
import { maxAbsDifference, sampleWords, stories, tinyGpt2 } from './modelTestKit.js';

interface HfReference {
  text: string;
  input_ids: number[];
  hidden_states: number[][][];
  logits_last: number[];
}

describeWithShared('taps against Hugging Face transformers (gutenberg-gpt2-small)', () => {
  // reference/hf-hidden-states.json: GPT2LMHeadModel(output_hidden_states=True) of transformers 5.17 on the
  // same checkpoint: an implementation independent of the ONNX export and of iw.
  let reference: HfReference;
  let model: LanguageModel;
  beforeAll(async () => {
    reference = JSON.parse(readFileSync(sharedPath('models', 'gutenberg-gpt2-small', 'reference', 'hf-hidden-states.json'), 'utf8')) as HfReference;
    model = await loadModel({ model: sharedPath('models', 'gutenberg-gpt2-small'), logits: 'all' });
  });
  afterAll(async () => { await model?.dispose(); });

  it('tokenizes the text as Hugging Face did (its tokenizer_config has add_prefix_space false: --no-prefix-space)', async () => {
    const plain = await loadWordTokenizer(model.resolved, { prefixSpace: false });
    expect(plain.tokenizeWords(reference.text.split(' ')).ids).toEqual(reference.input_ids);
    // The default differs in the first word only: its mid-text form, as the authors' add_prefix_space=True gives.
    const words = reference.text.split(' ');
    const ids = model.tokenizer.tokenizeWords(words).ids;
    const firstLength = plain.tokenizeWords(words.slice(0, 1)).ids.length;
    expect(ids.slice(0, -(reference.input_ids.length - firstLength))).toEqual(model.tokenizer.wordTokenIds(words[0]));
    expect(ids.slice(-(reference.input_ids.length - firstLength))).toEqual(reference.input_ids.slice(firstLength));
  });

  it('matches every layer to 1e-4', async () => {
    const layers = model.taps.map((t) => t.layer);
    expect(layers).toEqual(reference.hidden_states.map((_, i) => i));
    const output = await model.forward(padBatch([reference.input_ids], true), { layers, wantLogits: true });
    const errors = layers.map((layer) => maxAbsDifference(output.taps.get(layer)!, reference.hidden_states[layer].flat()));
    console.log(`max |iw − HF| per layer: ${errors.map((e, l) => `${l}: ${e.toExponential(2)}`).join(', ')}`);
    for (const error of errors) expect(error).toBeLessThan(1e-4);
    const vocabulary = reference.logits_last.length;
    const last = output.logits!.subarray((reference.input_ids.length - 1) * vocabulary);
    expect(maxAbsDifference(last, reference.logits_last)).toBeLessThan(1e-3);
  });
});

describe('self-consistency: final-norm output × tied embedding = the model\'s own logits', () => {
  // Both fixtures tie their output projection to the input embedding (tie_word_embeddings: true), so the
  // logits the graph computes must equal the tapped last layer times the embedding matrix read from the file.
  for (const [name, folder] of [['gutenberg-gpt2-tiny', tinyGpt2], ['stories260K', stories]] as const) {
    it(name, async () => {
      const model = await loadModel({ model: folder, logits: 'all' });
      try {
        const embedding = await readEmbeddingMatrix(model.resolved);
        const tokens = model.tokenizer.tokenizeWords(sampleWords.slice(0, 12)).ids;
        const last = model.taps.length - 1;
        const output = await model.forward(padBatch([tokens], model.acceptsPositionIds), { layers: [last], wantLogits: true });
        const finalNorm = output.taps.get(last)!;
        const { width, vocabularySize } = embedding;
        const products = new Float32Array(tokens.length * vocabularySize);
        for (let t = 0; t < tokens.length; t++) {
          for (let v = 0; v < vocabularySize; v++) {
            let sum = 0;
            for (let u = 0; u < width; u++) sum += finalNorm[t * width + u] * embedding.values[v * width + u];
            products[t * vocabularySize + v] = sum;
          }
        }
        expect(maxAbsDifference(products, output.logits!)).toBeLessThan(1e-4);
      } finally {
        await model.dispose();
      }
    });
  }
});
