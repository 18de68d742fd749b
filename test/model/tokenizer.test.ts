import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AutoTokenizer } from '@huggingface/transformers';
import { loadWordTokenizer, resolveModel } from '../../src/model/index.js';
import type { WordTokenizer } from '../../src/model/types.js';
import { createRandom, shuffled } from '../../src/util/random.js';
import { describeWithShared, hasShared, sharedPath } from '../helpers/shared.js';
import { sampleWords, stories, tinyGpt2 } from './modelTestKit.js';

/** Words that stress pre-tokenizers: contractions, digits, punctuation, accents, rare long words, capitals. */
const trickyWords = [
  "don't", "it's", "'tis", 'o\'clock', '1984', '3.14', 'end.', '"quoted"', 'well-known', 'café', 'naïve', 'Ünïcödé',
  'antidisestablishmentarianism', 'THE', 'The', 'a', 'I', 'x', '...', '—', 'self-evident', 'e-mail', '$100', 'über',
];

/** Seeded sequences of words, drawn from the sample text and the tricky words. */
function sequencesOf(words: readonly string[], count: number, length: number): string[][] {
  const random = createRandom(11);
  return Array.from({ length: count }, () => shuffled(random, words).slice(0, length));
}

/**
 * The model input built independently: the joined text, after `lead` (" " where the prefix-space rule applies),
 * tokenized in one go by transformers.js.
 */
async function wholeTextTokenizer(folder: string, lead = '', trailingSpecial = 0): Promise<(words: readonly string[]) => number[]> {
  const tokenizer = await AutoTokenizer.from_pretrained(folder, { local_files_only: true });
  return (words) => tokenizer.encode(lead + words.join(' '), { add_special_tokens: true }).slice(0, trailingSpecial > 0 ? -trailingSpecial : undefined);
}

function checkConcatenation(words: WordTokenizer, whole: (w: readonly string[]) => number[], prefix: number[], sequences: string[][]): void {
  for (const sequence of sequences) {
    const cached = [...prefix, ...sequence.flatMap((word, i) => (i === 0 ? words.tokenizeWords([word]).ids.slice(prefix.length) : words.wordTokenIds(word)))];
    expect(cached).toEqual(whole(sequence));
    const tokenized = words.tokenizeWords(sequence);
    expect(tokenized.ids).toEqual(cached);
    // Spans tile the ids after the prefix, word after word.
    expect(tokenized.wordSpans[0][0]).toBe(prefix.length);
    tokenized.wordSpans.forEach(([start, end], i) => {
      expect(end).toBeGreaterThan(start);
      if (i > 0) expect(start).toBe(tokenized.wordSpans[i - 1][1]);
      if (i > 0) expect(end - start).toBe(words.wordTokenCount(sequence[i]));
    });
    expect(tokenized.wordSpans.at(-1)![1]).toBe(tokenized.ids.length);
  }
}

describe('word tokenization, GPT-2 byte-level BPE (gutenberg-gpt2-tiny), with the prefix space (the default)', () => {
  let words: WordTokenizer;
  let whole: (w: readonly string[]) => number[];
  beforeAll(async () => {
    words = await loadWordTokenizer(await resolveModel({ model: tinyGpt2 }));
    whole = await wholeTextTokenizer(tinyGpt2, ' ');
  });

  it('applies the prefix-space rule (byte-level BPE) and adds no BOS (its post-processor adds none)', () => {
    expect(words.prefixSpace).toBe(true);
    expect(words.tokenizeWords(['the']).hasBos).toBe(false);
  });

  it('gives the first word its mid-text tokens, as the authors\' add_prefix_space=True does', () => {
    for (const word of [...sampleWords, ...trickyWords]) {
      const first = words.tokenizeWords([word, 'the']);
      expect(first.ids.slice(...first.wordSpans[0])).toEqual(words.wordTokenIds(word));
    }
    // "the" and " the" are different tokens; first and later forms are now the same.
    const ids = words.tokenizeWords(['the', 'the']).ids;
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it('a sequence\'s ids equal the tokenizer\'s own encoding of " " + the words joined by spaces', () => {
    checkConcatenation(words, whole, [], sequencesOf([...sampleWords, ...trickyWords], 60, 20));
  });

  it('refuses a word holding a space', () => {
    expect(() => words.tokenizeWords(['two words'])).toThrow(/no whitespace/);
  });
});

describe('word tokenization, GPT-2 byte-level BPE with --no-prefix-space (the earlier behaviour)', () => {
  it('tells a first word from a word after a space ("the" and " the" are different tokens)', async () => {
    const words = await loadWordTokenizer(await resolveModel({ model: tinyGpt2 }), { prefixSpace: false });
    expect(words.prefixSpace).toBe(false);
    const ids = words.tokenizeWords(['the', 'the']).ids;
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
    expect(words.wordTokenIds('the')).toEqual([ids[1]]);
    checkConcatenation(words, await wholeTextTokenizer(tinyGpt2), [], sequencesOf([...sampleWords, ...trickyWords], 30, 20));
  });
});

describe('the first word in its mid-text form, for every tokenizer family', () => {
  // Mid-text form: the word's tokens in the middle of a text ("x w" minus "x"), by the tokenizer itself.
  async function check(folder: string, rule: string): Promise<void> {
    const words = await loadWordTokenizer(await resolveModel({ model: folder }));
    expect(words.firstWord).toBe(rule);
    const tokenizer = await AutoTokenizer.from_pretrained(folder, { local_files_only: true });
    const plain = (text: string) => tokenizer.encode(text, { add_special_tokens: false });
    for (const word of ['the', 'river', 'said']) {
      const midText = plain(`so ${word}`).slice(plain('so').length);
      const { ids, wordSpans } = words.tokenizeWords([word, 'went']);
      expect(ids.slice(...wordSpans[0])).toEqual(midText);
    }
  }
  it('GPT-2 byte-level BPE: a leading space', () => check(tinyGpt2, 'leading space'));
  it('Llama SentencePiece with a dummy prefix: the tokenizer gives it', () => check(stories, 'tokenizer'));
  it.runIf(hasShared)('Gemma SentencePiece without a dummy prefix: a leading space ("▁the" 399, not "the" 929)', async () => {
    const gemma = sharedPath('models', 'families', 'gemma2-tiny');
    await check(gemma, 'leading space');
    const words = await loadWordTokenizer(await resolveModel({ model: gemma }));
    expect(words.tokenizeWords(['the']).ids).toEqual([2, 399]); // <bos>, ▁the (tokenizer.json's vocabulary)
    const asBefore = await loadWordTokenizer(await resolveModel({ model: gemma }), { prefixSpace: false });
    expect([asBefore.firstWord, asBefore.tokenizeWords(['the']).ids]).toEqual(['none', [2, 929]]);
  });
  it.runIf(hasShared)('BERT WordPiece, OPT, Qwen2 and Pythia BPE', async () => {
    await check(sharedPath('models', 'families', 'bert-tiny'), 'tokenizer');
    for (const name of ['opt-tiny', 'qwen2-tiny', 'gpt-neox-tiny']) await check(sharedPath('models', 'families', name), 'leading space');
  });
});

describe('word tokenization, Llama SentencePiece-style BPE with byte fallback (stories260K)', () => {
  let words: WordTokenizer;
  let whole: (w: readonly string[]) => number[];
  beforeAll(async () => {
    words = await loadWordTokenizer(await resolveModel({ model: stories }));
    whole = await wholeTextTokenizer(stories);
  });

  it('is left as it is: no prefix space (its normalizer already prepends "▁")', () => {
    expect(words.prefixSpace).toBe(false);
  });

  it('adds its BOS <s> (id 1, as tokenizer.json\'s template says) before the first word', () => {
    const tokenized = words.tokenizeWords(['once', 'upon']);
    expect(tokenized.hasBos).toBe(true);
    expect(tokenized.ids[0]).toBe(1);
    expect(tokenized.wordSpans[0][0]).toBe(1);
  });

  it('per-word tokens, concatenated, equal tokenizing the joined text', () => {
    checkConcatenation(words, whole, [1], sequencesOf([...sampleWords, ...trickyWords], 60, 20));
  });
});

describeWithShared('word tokenization over a real corpus (Brown, ../shared)', () => {
  // Brown's word/tag tokens, tags dropped: running text with punctuation, capitals and quotes.
  const corpusWords = () => readFileSync(sharedPath('corpora', 'brown', 'ca01'), 'utf8')
    .split(/\s+/)
    .filter(Boolean)
    .map((token) => token.slice(0, token.lastIndexOf('/')))
    .filter(Boolean);
  const cases = [
    ['gutenberg-gpt2-small', sharedPath('models', 'gutenberg-gpt2-small'), [], ' ', 0],
    ['gutenberg-roberta-mlm', sharedPath('models', 'gutenberg-roberta-mlm'), [0], ' ', 1], // <s> … </s>
    ['stories260K', stories, [1], '', 0],
  ] as const;
  for (const [name, folder, prefix, lead, trailingSpecial] of cases) {
    it(`${name}: thousands of words, per-word concatenation equals the joined text${lead ? ' after a space' : ''}`, async () => {
      const words = await loadWordTokenizer(await resolveModel({ model: folder }));
      expect(words.prefixSpace).toBe(lead === ' ');
      const whole = await wholeTextTokenizer(folder, lead, trailingSpecial);
      const text = corpusWords();
      const sequences = Array.from({ length: Math.floor(text.length / 40) }, (_, i) => text.slice(i * 40, i * 40 + 40));
      expect(sequences.length).toBeGreaterThan(40);
      checkConcatenation(words, whole, [...prefix], sequences);
    });
  }
});
