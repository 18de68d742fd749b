import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, padBatch, textActivations } from '../../src/model/index.js';
import type { LanguageModel } from '../../src/model/types.js';
import { UserError } from '../../src/util/errors.js';
import { maxAbsDifference, sampleWords, stories } from './modelTestKit.js';

/** Word activations as `iw activations --per-word` gives them (textActivations), against a plain token-level run. */
describe('word activations (stories260K)', () => {
  let model: LanguageModel;
  beforeAll(async () => { model = await loadModel({ model: stories, threads: 1 }); });
  afterAll(async () => { await model?.dispose(); });

  it('a word\'s vector is the mean of its tokens\' vectors from a single run', async () => {
    const words = sampleWords.slice(0, 15);
    const report = await textActivations(model, words.join(' '), [0, 3], true);
    const tokens = model.tokenizer.tokenizeWords(words);
    const run = await model.forward(padBatch([tokens.ids], true), { layers: [0, 3] });
    for (const [i, layer] of [0, 3].entries()) {
      const tap = run.taps.get(layer)!;
      const expected = tokens.wordSpans.map(([start, end]) =>
        Array.from({ length: 64 }, (_, u) => {
          let sum = 0;
          for (let t = start; t < end; t++) sum += tap[t * 64 + u];
          return sum / (end - start);
        }),
      );
      expect(report.layers[i].layer).toBe(layer);
      expect(report.layers[i].width).toBe(64);
      expect(report.layers[i].values).toHaveLength(words.length);
      expect(maxAbsDifference(report.layers[i].values.flat(), expected.flat())).toBeLessThan(1e-6);
    }
    expect(report.words?.map((w) => w.tokens)).toEqual(tokens.wordSpans);
  });

  it('refuses a text longer than the context, giving both lengths', async () => {
    const long = Array.from({ length: 600 }, () => 'the').join(' ');
    await expect(textActivations(model, long, [0], true)).rejects.toThrow(UserError);
    await expect(textActivations(model, long, [0], true)).rejects.toThrow(/--text is \d+ tokens long, .* 512/);
  });
});
