import { describe, expect, it } from 'vitest';
import { cleanCorpus, readCorpus } from '../../src/corpus/index.js';
import { buildWindowStimuli, buildYokingStimuli, formatStimuliJson } from '../../src/stimuli/index.js';
import { fixturePath } from '../helpers/shared.js';
import { corpusOf, plain } from '../corpus/corpora.js';
import { fakeTokenizer, lineEmbedding } from './fakes.js';

const brown = cleanCorpus(readCorpus(fixturePath('corpora', 'brown-sample')));

describe('buildWindowStimuli', () => {
  const options = { sequences: 20, words: 40, within: 'document' as const, swap: 'pos' as const, seed: 1 };

  it('builds S sequences of N words with one swap per position, never the word itself', async () => {
    const stimuli = await buildWindowStimuli(brown, options);
    expect(stimuli.format).toBe('iw-stimuli/1');
    expect(stimuli.sequences).toHaveLength(20);
    for (const sequence of stimuli.sequences) {
      expect(sequence.words).toHaveLength(40);
      expect(sequence.swaps).toHaveLength(40);
      sequence.swaps.forEach((swap, k) => expect(swap).not.toBe(sequence.words[k]));
      expect(sequence.sentenceStarts).toBeUndefined();
    }
    expect(stimuli.meta).toMatchObject({
      kind: 'window', within: 'document', seed: 1, sequencesRequested: 20, wordsPerSequence: 40,
      cleaning: { lowercase: true, splitHyphens: true, dropPunctuation: true, alphabeticOnly: true, properNouns: 'drop-sentence' },
      swap: { rule: 'pos', swaps: 800, singleTokenChecked: false, tokenCountChangedShare: null },
    });
  });

  it('gives byte-identical stimuli for the same seed and different swaps for another', async () => {
    const a = formatStimuliJson(await buildWindowStimuli(brown, options));
    expect(formatStimuliJson(await buildWindowStimuli(brown, options))).toBe(a);
    const other = await buildWindowStimuli(brown, { ...options, seed: 2 });
    expect(formatStimuliJson(other)).not.toBe(a);
  });

  it('says how many sequences the corpus allowed when fewer than asked', async () => {
    const stimuli = await buildWindowStimuli(brown, { ...options, sequences: 100_000 });
    const available = stimuli.meta.sequencesAvailable!;
    expect(stimuli.sequences).toHaveLength(available);
    expect(stimuli.meta.notes[0]).toBe(`the corpus allowed only ${available} of the 100000 sequences asked for (40 words, within one document)`);
  });

  it('refuses when not one sequence fits, saying how many words were found and needed', async () => {
    const tiny = cleanCorpus(corpusOf([plain('one two three'), plain('four five')]));
    await expect(buildWindowStimuli(tiny, { ...options, swap: 'random', words: 4, within: 'sentence' }))
      .rejects.toThrow('test-corpus: not one 4-word sequence fits within one sentence: the longest has 3 cleaned words, 4 are needed');
    expect((await buildWindowStimuli(tiny, { ...options, swap: 'random', words: 4, within: 'corpus' })).sequences).toHaveLength(1);
  });

  it('with a tokenizer, prefers single-token replacements and reports the share that changed token count', async () => {
    const tokenizer = fakeTokenizer(5);
    const stimuli = await buildWindowStimuli(brown, { ...options, tokenizer });
    const counts = (w: string) => tokenizer.wordTokenCount(w);
    let changed = 0, swaps = 0, multi = 0;
    for (const s of stimuli.sequences) {
      s.swaps.forEach((swap, k) => {
        swaps++;
        if (counts(swap!) !== counts(s.words[k])) changed++;
        if (counts(swap!) > 1) multi++;
      });
    }
    expect(multi).toBe(0); // every tag of the sample has single-token words besides the original
    expect(stimuli.meta.swap.singleTokenChecked).toBe(true);
    expect(stimuli.meta.swap.tokenCountChangedShare).toBeCloseTo(changed / swaps, 12);
    expect(changed).toBeGreaterThan(0);
  });

  it('with embedding swaps, reports the band and the fallback share', async () => {
    const { words, tokenizer, embedding } = lineEmbedding(30);
    const clean = cleanCorpus(corpusOf([plain(words.join(' '))]));
    const stimuli = await buildWindowStimuli(clean, { ...options, swap: 'embedding', words: 30, within: 'corpus', tokenizer, embedding, band: { low: 0.14, high: 0.16 } });
    const swaps = stimuli.sequences[0].swaps;
    // Band [0.14, 0.16] holds the words exactly 3 places away (distance 0.05 |i − j|); every word has one.
    swaps.forEach((swap, i) => expect(Math.abs(words.indexOf(swap!) - i)).toBe(3));
    expect(stimuli.meta.swap).toMatchObject({ rule: 'embedding', fallbackShare: 0, band: { low: 0.14, high: 0.16, chosen: 'given' } });
    const narrow = await buildWindowStimuli(clean, { ...options, swap: 'embedding', words: 30, within: 'corpus', tokenizer, embedding, band: { low: 1.44, high: 1.46 } });
    // 0.05 |i − j| = 1.45 only for |i − j| = 29: words 0 and 29 have a candidate, the other 28 fall back.
    expect(narrow.meta.swap.fallbackShare).toBeCloseTo(28 / 30, 12);
  });
});

describe('buildYokingStimuli', () => {
  const sentences = [
    'the cat sat on a mat', 'a dog ran to the park', 'we saw a big red hen', 'the hen hid in the barn',
    'an owl sat up on high',
    'they ate soup and bread', // 5 words
    'my extraordinary cat sat on mats', // "extraordinary" takes 3 tokens
  ];
  const clean = cleanCorpus(corpusOf(sentences.map((s) => plain(s))));
  const tokenizer = fakeTokenizer(5);

  it('builds K sentences of exactly L single-token words, with sentence starts and single-token swaps', async () => {
    const stimuli = await buildYokingStimuli(clean, { sequences: 8, sentences: 3, sentenceWords: 6, swap: 'random', seed: 4, tokenizer });
    expect(stimuli.meta).toMatchObject({ kind: 'yoking', eligibleSentences: 5, sentencesPerSequence: 3, sentenceWords: 6, wordsPerSequence: 18 });
    for (const sequence of stimuli.sequences) {
      expect(sequence.sentenceStarts).toEqual([0, 6, 12]);
      for (const word of [...sequence.words, ...(sequence.swaps as string[])]) expect(tokenizer.wordTokenCount(word)).toBe(1);
    }
    expect(stimuli.meta.swap.tokenCountChangedShare).toBe(0);
  });

  it('refuses when too few sentences qualify, saying how many were found and needed', async () => {
    await expect(buildYokingStimuli(clean, { sequences: 8, sentences: 6, sentenceWords: 6, swap: 'random', seed: 4, tokenizer }))
      .rejects.toThrow('test-corpus: found 5 sentences of exactly 6 single-token words (after cleaning, none of their words dropped); yoking sequences of 6 distinct sentences (--sentences) need at least 6');
  });
});
