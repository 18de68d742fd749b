import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env, pipeline, type FillMaskPipeline } from '@huggingface/transformers';
import { cleanCorpus } from '../../src/corpus/cleaning.js';
import { readCorpus } from '../../src/corpus/readCorpus.js';
import type { CleanCorpus } from '../../src/corpus/types.js';
import { loadFillMaskModel, loadModel, type FillMaskModel } from '../../src/model/index.js';
import type { LanguageModel } from '../../src/model/types.js';
import { buildWindowStimuli, buildYokingStimuli, formatStimuliJson, type BuiltStimuli } from '../../src/stimuli/index.js';
import { defaultCleaningSteps } from '../../src/corpus/cleaning.js';
import { describeWithShared, fixturePath, sharedPath } from '../helpers/shared.js';
import type { MaskedContext, WordPredictor } from '../../src/model/types.js';
import { prepareProbableSwapRule } from '../../src/stimuli/swapRules/index.js';
import { TokenCounter } from '../../src/stimuli/tokenCounts.js';
import { createRandom } from '../../src/util/random.js';

/**
 * --swap probable on the shared fill-mask stand-in (gutenberg-roberta-mlm). Every replacement is checked against
 * the model's predictions computed independently here: transformers.js' own fill-mask pipeline (its tokenizer, its
 * ONNX session, its ranking) on the context text with the word replaced by "<mask>", written with a leading space so
 * that every word has its mid-text form, as the model was trained. Of its predictions, those that are whole words
 * (a token starting with a space that is the word's only token), alphabetic, lowercase (the stimuli are) and not the
 * original are ranked, and the replacement must be among the first `high` of them (allowing float noise at a tie).
 */
const folder = sharedPath('models', 'gutenberg-roberta-mlm');
const ranks: [number, number] = [0, 5];

describeWithShared('probable swaps (the authors\' ProbableWordSwap) on gutenberg-roberta-mlm', () => {
  let predictor: FillMaskModel;
  let measured: LanguageModel;
  let fillMask: FillMaskPipeline;
  let corpus: CleanCorpus;
  beforeAll(async () => {
    predictor = await loadFillMaskModel({ model: folder, threads: 1 });
    measured = await loadModel({ model: folder, threads: 1 });
    env.allowRemoteModels = false;
    fillMask = await pipeline('fill-mask', folder, { dtype: 'fp32' });
    corpus = cleanCorpus(readCorpus(fixturePath('corpora', 'default.txt'), { format: 'auto' }), defaultCleaningSteps);
  });
  afterAll(async () => {
    await predictor?.dispose();
    await measured?.dispose();
    await fillMask?.dispose();
  });

  /** The whole-word alphabetic predictions at the mask, best first, with their scores (transformers.js). */
  async function independentPredictions(words: readonly string[], position: number, original: string): Promise<Array<{ word: string; score: number }>> {
    const text = ' ' + words.map((w, i) => (i === position ? '<mask>' : w)).join(' ');
    const predictions = await fillMask(text, { top_k: 400 });
    const kept: Array<{ word: string; score: number }> = [];
    for (const p of predictions) {
      if (!p.token_str.startsWith(' ')) continue;
      const word = p.token_str.slice(1);
      if (!/^\p{L}+$/u.test(word) || word !== word.toLowerCase() || word === original) continue;
      const alone = fillMask.tokenizer.encode(` ${word}`, { add_special_tokens: false });
      if (alone.length !== 1 || alone[0] !== p.token) continue;
      kept.push({ word, score: p.score });
    }
    return kept;
  }

  async function expectAmongTopPredictions(stimuli: BuiltStimuli, contextOf: (s: number, k: number) => { words: string[]; position: number }): Promise<void> {
    let checked = 0;
    for (const [s, sequence] of stimuli.sequences.entries()) {
      for (const [k, replacement] of sequence.swaps.entries()) {
        const { words, position } = contextOf(s, k);
        const kept = await independentPredictions(words, position, sequence.words[k]);
        const top = kept.slice(0, ranks[1]);
        const at = kept.findIndex((c) => c.word === replacement);
        const inTop = at >= 0 && (at < ranks[1] || kept[at].score >= top[top.length - 1].score * (1 - 1e-5));
        expect(inTop, `sequence ${s + 1}, word ${k + 1} ("${sequence.words[k]}" → "${replacement}"; top: ${top.map((c) => c.word).join(', ')})`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(40);
  }

  it('builds the masked input as the model\'s tokenizer does: <s>, every word after a space, one <mask>, </s>', () => {
    const words = ['the', 'old', 'man', 'walked', 'slowly'];
    const { ids, maskIndex } = predictor.tokenizer.maskedInput(words, 2);
    expect(ids).toEqual(fillMask.tokenizer.encode(' the old <mask> walked slowly'));
    expect(maskIndex).toBe(3);
    expect(ids[0]).toBe(0);
    expect(ids[ids.length - 1]).toBe(2);
  });

  it('window stimuli: every replacement is among the model\'s 5 most probable whole-word alphabetic predictions in its sequence', async () => {
    const stimuli = await buildWindowStimuli(corpus, { sequences: 4, words: 20, within: 'document', swap: 'probable', seed: 3, tokenizer: measured.tokenizer, probable: { predictor, ranks } });
    await expectAmongTopPredictions(stimuli, (s, k) => ({ words: stimuli.sequences[s].words, position: k }));
    const sha256 = createHash('sha256').update(readFileSync(join(folder, 'onnx', 'model.onnx'))).digest('hex');
    expect(stimuli.meta.swap).toMatchObject({ rule: 'probable', fallbackShare: 0, probable: { model: predictor.id, sha256, ranks: [0, 5] } });
    // A weak model: its predictions are mostly the most frequent words, but they vary with the context.
    expect(new Set(stimuli.sequences.flatMap((q) => q.swaps)).size).toBeGreaterThan(5);
  });

  it('yoking stimuli: the context is the word\'s own sentence, and replacements are single tokens of the measured model', async () => {
    const stimuli = await buildYokingStimuli(corpus, { sequences: 2, sentences: 3, sentenceWords: 8, swap: 'probable', seed: 5, tokenizer: measured.tokenizer, probable: { predictor, ranks } });
    const starts = stimuli.sequences[0].sentenceStarts!;
    expect(starts).toEqual([0, 8, 16]);
    await expectAmongTopPredictions(stimuli, (s, k) => {
      const start = Math.floor(k / 8) * 8;
      return { words: stimuli.sequences[s].words.slice(start, start + 8), position: k - start };
    });
    for (const sequence of stimuli.sequences) for (const swap of sequence.swaps) expect(measured.tokenizer.wordTokenCount(swap!)).toBe(1);
  });

  it('is seeded: the same seed gives byte-identical stimuli, another seed other draws', async () => {
    const options = { sequences: 3, words: 20, within: 'document' as const, swap: 'probable' as const, tokenizer: measured.tokenizer, probable: { predictor, ranks } };
    const first = formatStimuliJson(await buildWindowStimuli(corpus, { ...options, seed: 9 }));
    const again = await loadFillMaskModel({ model: folder, threads: 2 });
    try {
      expect(formatStimuliJson(await buildWindowStimuli(corpus, { ...options, seed: 9, probable: { predictor: again, ranks } }))).toBe(first);
    } finally {
      await again.dispose();
    }
    expect(formatStimuliJson(await buildWindowStimuli(corpus, { ...options, seed: 10 }))).not.toBe(first);
  });

  it('falls back to a random word where the ranks hold no candidate, and counts it', async () => {
    const stimuli = await buildWindowStimuli(corpus, { sequences: 2, words: 10, within: 'document', swap: 'probable', seed: 3, tokenizer: measured.tokenizer, probable: { predictor, ranks: [7000, 7001] } });
    expect(stimuli.meta.swap.fallbackShare).toBe(1);
    expect(stimuli.meta.notes.join(' ')).toMatch(/20 of 20 positions \(100\.0 %\) had no probable candidate and took a random word instead/);
  });
});

describe('the probable rule with a predictor whose predictions are known', () => {
  /** Predicts, for every context, the same ranked list; records the contexts it was asked about. */
  const ranked = ['cat', 'Dog', 'the', 'bird', 'x1', 'fish', 'longword', 'ox', 'emu'];
  const asked: MaskedContext[] = [];
  const predictor: WordPredictor = {
    id: 'fake',
    sha256: async () => '0'.repeat(64),
    predict: async (contexts, accept, count) => {
      asked.push(...contexts);
      return contexts.map((_, i) => ranked.filter((word) => accept(word, i)).slice(0, count));
    },
  };
  // One token per word, except "longword" (two).
  const tokens = new TokenCounter({ tokenizeWords: () => ({ ids: [], wordSpans: [], hasBos: false }), wordTokenIds: () => [], wordTokenCount: (w) => (w === 'longword' ? 2 : 1), vocabularySize: 10 });

  it('keeps whole alphabetic lowercase candidates other than the original (single tokens for yoking) and draws from ranks [low, high)', async () => {
    const sequences = [['a', 'the', 'b', 'c'], ['d', 'e', 'f', 'g']];
    const prepared = await prepareProbableSwapRule({ vocabulary: { types: ['q', 'r'], tagOf: new Map() }, tokens, strictSingleToken: true }, sequences, [[0, 2], [0, 2]],
      { predictor, ranks: [1, 4], lowercase: true });
    // Kept for "the" (position 1 of sequence 0): cat, bird, fish, ox (not Dog: a capital; not the: the original; not x1;
    // not longword: two tokens); ranks 1..3 are bird, fish, ox.
    const random = createRandom(1);
    const drawn = new Set(Array.from({ length: 200 }, () => prepared.rule.choose('the', random, { sequence: 0, position: 1 })));
    expect([...drawn].sort()).toEqual(['bird', 'fish', 'ox']);
    // Yoking contexts are the word's own sentence.
    expect(asked.slice(0, 4)).toEqual([
      { words: ['a', 'the'], position: 0 }, { words: ['a', 'the'], position: 1 }, { words: ['b', 'c'], position: 0 }, { words: ['b', 'c'], position: 1 },
    ]);
  });

  it('has no candidate when fewer than low + 1 are kept', async () => {
    const prepared = await prepareProbableSwapRule({ vocabulary: { types: ['q', 'r'], tagOf: new Map() }, tokens, strictSingleToken: false }, [['a', 'b']], [undefined],
      { predictor, ranks: [7, 9], lowercase: true });
    expect(prepared.rule.choose('a', createRandom(1), { sequence: 0, position: 0 })).toBeNull();
    expect(prepared.fallback.choose('a', createRandom(1), { sequence: 0, position: 0 })).toMatch(/^[qr]$/);
  });
});
