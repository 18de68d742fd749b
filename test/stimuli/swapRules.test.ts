import { describe, expect, it } from 'vitest';
import type { CleanCorpus } from '../../src/corpus/types.js';
import { CandidatePool, EmbeddingSpace, chooseDistanceBand, prepareSwapRule } from '../../src/stimuli/swapRules/index.js';
import { embeddingSwapRule } from '../../src/stimuli/swapRules/embeddingSwap.js';
import { MIN_TAG_TYPES, posSwapRule } from '../../src/stimuli/swapRules/posSwap.js';
import { randomSwapRule } from '../../src/stimuli/swapRules/randomSwap.js';
import { TokenCounter } from '../../src/stimuli/tokenCounts.js';
import { corpusVocabulary, type Vocabulary } from '../../src/stimuli/vocabulary.js';
import { createRandom } from '../../src/util/random.js';
import { fakeTokenizer, lineEmbedding } from './fakes.js';

function vocabularyOf(entries: Array<[string, string]>): Vocabulary {
  const clean = { sentences: [{ words: entries.map((e) => e[0]), tags: entries.map((e) => e[1]), document: 0, runStarts: [0], droppedWords: 0 }] } as Pick<CleanCorpus, 'sentences'>;
  return corpusVocabulary(clean);
}

describe('CandidatePool', () => {
  it('never draws the original and draws the others uniformly', () => {
    const pool = new CandidatePool(['a', 'b', 'c', 'd', 'e']);
    const random = createRandom(5);
    const counts = new Map<string, number>();
    for (let i = 0; i < 40_000; i++) {
      const word = pool.drawOtherThan('c', random)!;
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    expect(counts.has('c')).toBe(false);
    // 4 candidates, 10,000 expected each; binomial sd = sqrt(40000 · 0.25 · 0.75) ≈ 86.6; allow 5 sd.
    for (const word of ['a', 'b', 'd', 'e']) expect(Math.abs(counts.get(word)! - 10_000)).toBeLessThan(5 * 86.6);
    expect(new CandidatePool(['a']).drawOtherThan('a', random)).toBeNull();
  });
});

describe('corpusVocabulary', () => {
  it('sorts types and gives each the last tag the corpus gives it', () => {
    const vocabulary = vocabularyOf([['run', 'vb'], ['dog', 'nn'], ['run', 'nn']]);
    expect(vocabulary.types).toEqual(['dog', 'run']);
    expect(vocabulary.tagOf.get('run')).toBe('nn');
  });
});

describe('pos swaps', () => {
  const nouns = ['cat', 'dog', 'hen', 'owl', 'elephant', 'rat'].map((w): [string, string] => [w, 'nn']);
  const verbs = ['ran', 'sat', 'ate', 'saw', 'hid'].map((w): [string, string] => [w, 'vbd']);
  const rare: Array<[string, string]> = [['was', 'bedz'], ['were', 'bed'], ['the', 'at']];
  const vocabulary = vocabularyOf([...nouns, ...verbs, ...rare]);

  it('replaces a word with another word of its tag', () => {
    const rule = posSwapRule(vocabulary, undefined, false);
    const random = createRandom(1);
    for (let i = 0; i < 500; i++) {
      const noun = rule.choose('dog', random)!;
      expect(noun).not.toBe('dog');
      expect(vocabulary.tagOf.get(noun)).toBe('nn');
      expect(vocabulary.tagOf.get(rule.choose('sat', random)!)).toBe('vbd');
    }
  });

  it(`pools the types of tags with fewer than ${MIN_TAG_TYPES} types, as the authors do`, () => {
    const rule = posSwapRule(vocabulary, undefined, false);
    const random = createRandom(2);
    const seen = new Set(Array.from({ length: 200 }, () => rule.choose('was', random)));
    expect([...seen].sort()).toEqual(['the', 'were']);
  });

  it('prefers single-token words where there are any, and takes others when there are none', () => {
    // 5 characters per token: "elephant" is 2 tokens, every other noun 1.
    const tokens = new TokenCounter(fakeTokenizer(5));
    const rule = posSwapRule(vocabulary, tokens, false);
    const random = createRandom(3);
    const chosen = new Set(Array.from({ length: 500 }, () => rule.choose('cat', random)));
    expect(chosen.has('elephant')).toBe(false);
    expect(chosen.size).toBe(4);
    // With 2 characters a token every noun takes 2 tokens or more: a non-strict rule still finds one, a strict one none.
    const long = new TokenCounter(fakeTokenizer(2));
    expect(posSwapRule(vocabulary, long, false).choose('cat', random)).not.toBeNull();
    expect(posSwapRule(vocabulary, long, true).choose('cat', random)).toBeNull();
  });
});

describe('random swaps', () => {
  it('are uniform over the vocabulary other than the original', () => {
    const vocabulary = vocabularyOf(['a', 'b', 'c'].map((w): [string, string] => [w, 'x']));
    const rule = randomSwapRule(vocabulary, undefined, false);
    const random = createRandom(4);
    let b = 0;
    for (let i = 0; i < 10_000; i++) {
      const word = rule.choose('a', random);
      expect(word).not.toBe('a');
      if (word === 'b') b++;
    }
    // Binomial(10000, 1/2): sd 50; allow 5 sd.
    expect(Math.abs(b - 5000)).toBeLessThan(250);
  });

  it('refuse pos on an untagged corpus with a message that says what to do', () => {
    const vocabulary = vocabularyOf([['a', 'x'], ['b', 'x']]);
    expect(() => prepareSwapRule({ rule: 'pos', vocabulary, tagged: false, strictSingleToken: false, originals: [] }, createRandom(1)))
      .toThrow('--swap pos needs a tagged corpus');
    expect(() => prepareSwapRule({ rule: 'embedding', vocabulary, tagged: false, strictSingleToken: false, originals: [] }, createRandom(1)))
      .toThrow('--swap embedding needs --model');
  });
});

describe('embedding swaps', () => {
  const { words, tokenizer, embedding } = lineEmbedding(40);
  const tokens = new TokenCounter(tokenizer);
  const index = (w: string) => words.indexOf(w);

  it('compute mean |E[w] − E[w′]| as in closed form (0.05 |i − j|)', () => {
    const space = new EmbeddingSpace(words, tokens, embedding, createRandom(1));
    const distances = space.distancesFrom(words[10]);
    expect(distances[13]).toBeCloseTo(0.15, 6);
    expect(distances[0]).toBeCloseTo(0.5, 6);
  });

  it('draw only words whose distance lies in the band, and have no candidate when none does', () => {
    const space = new EmbeddingSpace(words, tokens, embedding, createRandom(1));
    // Band [0.14, 0.16] holds exactly the words 3 places away.
    const rule = embeddingSwapRule(space, { low: 0.14, high: 0.16 });
    const random = createRandom(6);
    const seen = new Set(Array.from({ length: 200 }, () => rule.choose(words[10], random)));
    expect([...seen].sort()).toEqual([words[7], words[13]]);
    expect(embeddingSwapRule(space, { low: 2.5, high: 2.6 }).choose(words[10], random)).toBeNull();
  });

  it('choose a narrow band that every sampled word can be swapped within', () => {
    const space = new EmbeddingSpace(words, tokens, embedding, createRandom(1));
    const band = chooseDistanceBand(words, space, createRandom(7));
    expect(band.high / band.low).toBeCloseTo(1.05 / 0.95, 6);
    const rule = embeddingSwapRule(space, band);
    const random = createRandom(8);
    for (const word of words) {
      const swap = rule.choose(word, random);
      expect(swap).not.toBeNull();
      const distance = 0.05 * Math.abs(index(swap!) - index(word));
      expect(distance).toBeGreaterThanOrEqual(band.low - 1e-6);
      expect(distance).toBeLessThanOrEqual(band.high + 1e-6);
    }
  });
});
