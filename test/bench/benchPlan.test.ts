import { describe, expect, it } from 'vitest';
import { benchPlan, engineOrder, sequencesNeeded, splitIntoParts } from '../../bench/benchPlan.js';
import { fittingSequences } from '../../bench/benchStimuli.js';
import { tokenizeSequence } from '../../bench/tokenPositions.js';
import { UserError } from '../../src/util/errors.js';
import { letterTokenizer } from './letterTokenizer.js';

describe('bench plan', () => {
  it('cuts sequences into consecutive, non-empty parts covering them all', () => {
    expect(splitIntoParts(8, 2)).toEqual([[0, 4], [4, 8]]);
    expect(splitIntoParts(5, 2)).toEqual([[0, 2], [2, 5]]);
    expect(splitIntoParts(1, 3)).toEqual([[0, 1]]);
    expect(splitIntoParts(7, 1)).toEqual([[0, 7]]);
  });

  it('alternates which engine runs first (ABBA)', () => {
    expect([0, 1, 2, 3].map(engineOrder)).toEqual([['naive', 'fast'], ['fast', 'naive'], ['naive', 'fast'], ['fast', 'naive']]);
  });

  it('builds one set per word count, as large as the largest case using it', () => {
    const plan = benchPlan(false, 2);
    const needed = sequencesNeeded(plan);
    for (const size of [...plan.comparisons, ...plan.memory, plan.estimateJob]) {
      expect(needed.get(size.words)).toBeGreaterThanOrEqual(size.sequences);
    }
    expect(needed.get(150)).toBe(Math.max(...[...plan.comparisons, ...plan.memory].filter((s) => s.words === 150).map((s) => s.sequences)));
  });
});

describe('sequences that fit the context', () => {
  const tokenizer = letterTokenizer();
  // Longest versions: 4 tokens (swap 'cc' for 'c'), 3, and 6 (swap 'dddd' for 'd').
  const tokenized = [
    { words: ['a', 'b', 'c'], swaps: ['a', null, 'cc'] },
    { words: ['a', 'b', 'c'], swaps: ['e', 'f', 'g'] },
    { words: ['a', 'b', 'd'], swaps: [null, null, 'dddd'] },
  ].map((s) => tokenizeSequence(s, tokenizer));

  it('keeps the first sequences whose every version fits', () => {
    expect(fittingSequences(tokenized, 4, 2, 3)).toEqual([0, 1]);
    expect(fittingSequences(tokenized, 3, 1, 3)).toEqual([1]);
    expect(fittingSequences(tokenized, 6, 3, 3)).toEqual([0, 1, 2]);
  });

  it('says how many fit when too few do', () => {
    expect(() => fittingSequences(tokenized, 3, 2, 3)).toThrow(UserError);
    expect(() => fittingSequences(tokenized, 3, 2, 3)).toThrow(/only 1 of 3 sequences of 3 words fit in the model's context of 3 tokens/);
  });
});
