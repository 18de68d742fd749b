import { describe, expect, it } from 'vitest';
import { longestTokenCount, sequenceTokenPositions, sumTokenPositions, tokenizeSequence } from '../../bench/tokenPositions.js';
import { swapRow } from '../../src/engine/passRows.js';
import { letterTokenizer } from './letterTokenizer.js';

// Words of 1, 2, 1, 2 letters = tokens; swaps at 0 (3 tokens for 1) and 3 (1 token for 2), none at 2.
const sequence = { words: ['a', 'bb', 'c', 'dd'], swaps: ['xxx', 'y', null, 'e'] };

describe('token positions per engine', () => {
  it('counts naive as T + Σ T_k, fast as T + Σ band tokens, truncated up to the band\'s end (worked by hand, maxLag 1)', () => {
    const tokenized = tokenizeSequence(sequence, letterTokenizer());
    // T = 6. Swap 0: 3+2+1+2 = 8 tokens, band words 0..1 = 3+2 = 5, ending at token 5.
    // Swap 1: 1+1+1+2 = 5, band 1..2 = 1+1 = 2, ending at token 3. Swap 3: 1+2+1+1 = 5, band word 3 alone
    // (clipped at the end) = 1, ending at token 5.
    expect(sequenceTokenPositions(tokenized, 1)).toEqual({ naive: 6 + 8 + 5 + 5, fast: 6 + 5 + 2 + 1, truncated: 6 + 5 + 3 + 5, swaps: 3 });
    expect(longestTokenCount(tokenized)).toBe(8);
  });

  it('counts a BOS token in every full pass but in no band', () => {
    const tokenized = tokenizeSequence(sequence, letterTokenizer(true));
    expect(sequenceTokenPositions(tokenized, 1)).toEqual({ naive: 7 + 9 + 6 + 6, fast: 7 + 5 + 2 + 1, truncated: 7 + 6 + 4 + 6, swaps: 3 });
  });

  it('agrees with the engine\'s own rows (src/engine/passRows swapRow) for every lag', () => {
    for (const withBos of [false, true]) {
      const tokenized = tokenizeSequence(sequence, letterTokenizer(withBos));
      for (const maxLag of [0, 1, 2, 5]) {
        const rows = (engine: 'naive' | 'fast' | 'truncated') => tokenized.swaps.reduce((sum, s) =>
          sum + swapRow(engine, 0, tokenized.original, s.tokens, s.swapPosition, maxLag).inputIds.length, tokenized.original.ids.length);
        const counted = sequenceTokenPositions(tokenized, maxLag);
        expect(counted.naive).toBe(rows('naive'));
        expect(counted.fast).toBe(rows('fast'));
        expect(counted.truncated).toBe(rows('truncated'));
      }
    }
  });

  it('sums sequences', () => {
    expect(sumTokenPositions([{ naive: 3, fast: 2, truncated: 3, swaps: 1 }, { naive: 10, fast: 4, truncated: 7, swaps: 2 }]))
      .toEqual({ naive: 13, fast: 6, truncated: 10, swaps: 3 });
  });
});
