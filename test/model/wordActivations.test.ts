import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, padBatch } from '../../src/model/index.js';
import type { LanguageModel } from '../../src/model/types.js';
import { maxAbsDifference, sampleWords, stories } from './modelTestKit.js';

describe('word activations (stories260K)', () => {
  let model: LanguageModel;
  beforeAll(async () => { model = await loadModel({ model: stories, threads: 1 }); });
  afterAll(async () => { await model?.dispose(); });

  it('a word\'s vector is the mean of its tokens\' vectors from a single run', async () => {
    const words = sampleWords.slice(0, 15);
    const [activations] = await model.wordActivations([words], [0, 3]);
    const tokens = model.tokenizer.tokenizeWords(words);
    const run = await model.forward(padBatch([tokens.ids], true), { layers: [0, 3] });
    for (const [i, layer] of [0, 3].entries()) {
      const tap = run.taps.get(layer)!;
      const expected = tokens.wordSpans.flatMap(([start, end]) =>
        Array.from({ length: 64 }, (_, u) => {
          let sum = 0;
          for (let t = start; t < end; t++) sum += tap[t * 64 + u];
          return sum / (end - start);
        }),
      );
      expect(activations[i].layer).toBe(layer);
      expect(activations[i].width).toBe(64);
      expect(maxAbsDifference(activations[i].values, expected)).toBeLessThan(1e-6);
    }
  });

  it('many sequences of unequal lengths, batched, equal each sequence run alone, in the order given', async () => {
    const sequences = Array.from({ length: 9 }, (_, s) => sampleWords.slice(s * 3, s * 3 + 4 + ((s * 7) % 11)));
    const together = await model.wordActivations(sequences, [1, 5]);
    expect(together).toHaveLength(9);
    for (const [s, words] of sequences.entries()) {
      const [alone] = await model.wordActivations([words], [1, 5]);
      expect(together[s].map((a) => a.values.length)).toEqual([words.length * 64, words.length * 64]);
      for (const i of [0, 1]) expect(maxAbsDifference(together[s][i].values, alone[i].values)).toBeLessThan(1e-5);
    }
  });

  it('refuses a sequence longer than the context, giving both lengths', async () => {
    const long = Array.from({ length: 600 }, () => 'the');
    await expect(model.wordActivations([['a'], long], [0])).rejects.toThrow(/sequence 2 is \d+ tokens long, but .* takes at most 512/);
  });
});
