import { describe, expect, it } from 'vitest';
import type { CleanSentence } from '../../src/corpus/types.js';
import { TokenCounter } from '../../src/stimuli/tokenCounts.js';
import { WindowCatalogue, sampleIndices, windowSegments } from '../../src/stimuli/windowSequences.js';
import { drawYokingSequences, yokingSentences } from '../../src/stimuli/yokingSequences.js';
import { createRandom } from '../../src/util/random.js';
import { fakeTokenizer } from './fakes.js';

/** A cleaned sentence of words "d<doc>s<sentence>w<i>", with runs starting where given. */
function sentence(document: number, index: number, length: number, runStarts = [0], droppedWords = 0): CleanSentence {
  return { words: Array.from({ length }, (_, i) => `d${document}s${index}w${i}`), document, runStarts, droppedWords };
}

describe('window segments and windows', () => {
  const sentences = [sentence(0, 0, 7, [0, 3]), sentence(0, 1, 5), sentence(1, 0, 6)];

  it('cut runs, sentences, documents or the corpus', () => {
    const lengths = (within: Parameters<typeof windowSegments>[1]) => windowSegments(sentences, within).map((s) => s.length);
    expect(lengths('run')).toEqual([3, 4, 5, 6]);
    expect(lengths('sentence')).toEqual([7, 5, 6]);
    expect(lengths('document')).toEqual([12, 6]);
    expect(lengths('corpus')).toEqual([18]);
  });

  it('count non-overlapping windows: floor(length / N) per segment', () => {
    const available = (within: Parameters<typeof windowSegments>[1]) => new WindowCatalogue(sentences, 4, within).available;
    expect(available('run')).toBe(0 + 1 + 1 + 1);
    expect(available('sentence')).toBe(1 + 1 + 1);
    expect(available('document')).toBe(3 + 1);
    expect(available('corpus')).toBe(4);
  });

  it('a window crossing sentences holds consecutive words, and never crosses a document with within document', () => {
    const windows = new WindowCatalogue(sentences, 4, 'document').choose(10, createRandom(1));
    expect(windows).toEqual([
      ['d0s0w0', 'd0s0w1', 'd0s0w2', 'd0s0w3'],
      ['d0s0w4', 'd0s0w5', 'd0s0w6', 'd0s1w0'],
      ['d0s1w1', 'd0s1w2', 'd0s1w3', 'd0s1w4'],
      ['d1s0w0', 'd1s0w1', 'd1s0w2', 'd1s0w3'],
    ]);
  });

  it('draws without replacement, in corpus order, and differently for another seed', () => {
    const many = Array.from({ length: 50 }, (_, i) => sentence(0, i, 4));
    const catalogue = new WindowCatalogue(many, 4, 'sentence');
    const a = catalogue.choose(10, createRandom(1)).map((w) => w[0]);
    expect(new Set(a).size).toBe(10);
    expect([...a].sort((x, y) => Number(x.split('s')[1].split('w')[0]) - Number(y.split('s')[1].split('w')[0]))).toEqual(a);
    expect(catalogue.choose(10, createRandom(2)).map((w) => w[0])).not.toEqual(a);
  });

  it('sampleIndices is uniform: each of 10 indices is chosen 3 times in 10 about equally often', () => {
    const random = createRandom(9);
    const counts = new Array(10).fill(0);
    for (let trial = 0; trial < 10_000; trial++) for (const i of sampleIndices(10, 3, random)) counts[i]++;
    // Each index is in a sample with probability 0.3: 3,000 expected, binomial sd ≈ 45.8; allow 5 sd.
    for (const count of counts) expect(Math.abs(count - 3000)).toBeLessThan(5 * 45.8);
  });
});

describe('yoking sentences', () => {
  const tokens = new TokenCounter(fakeTokenizer(5)); // words of 5 characters or fewer are one token
  const make = (words: string, droppedWords = 0): CleanSentence => ({ words: words.split(' '), document: 0, runStarts: [0], droppedWords });

  it('are exactly L single-token words with nothing but punctuation dropped', () => {
    const sentences = [
      make('the cat sat down'),
      make('the cat sat'), // 3 words
      make('the elephant sat down'), // "elephant" is 2 tokens
      make('the dog ran off', 1), // lost a number
      make('a hen hid here'),
    ];
    expect(yokingSentences(sentences, 4, tokens)).toEqual([['the', 'cat', 'sat', 'down'], ['a', 'hen', 'hid', 'here']]);
  });

  it('are drawn with replacement across sequences and distinct within one, with sentence starts at 0, L, 2L', () => {
    const eligible = Array.from({ length: 6 }, (_, i) => [`s${i}a`, `s${i}b`, `s${i}c`]);
    const sequences = drawYokingSequences(eligible, 40, 5, createRandom(3));
    for (const sequence of sequences) {
      expect(sequence.sentenceStarts).toEqual([0, 3, 6, 9, 12]);
      const firsts = sequence.sentenceStarts.map((s) => sequence.words[s]);
      expect(new Set(firsts).size).toBe(5);
    }
    // 40 sequences × 5 sentences from 6 eligible: every sentence is reused across sequences (200 uses of 6).
    const uses = new Map<string, number>();
    for (const s of sequences) for (const start of s.sentenceStarts) uses.set(s.words[start], (uses.get(s.words[start]) ?? 0) + 1);
    expect([...uses.values()].reduce((a, b) => a + b, 0)).toBe(200);
    expect(uses.size).toBe(6);
  });
});
