import { describe, expect, it } from 'vitest';
import { isPunctuationToken, wordTokens } from '../../src/corpus/wordTokens.js';

describe('wordTokens', () => {
  it('splits punctuation and quote marks off words, as Brown tokenizes', () => {
    expect(wordTokens('"Really?" she asked, quietly.')).toEqual(['"', 'Really', '?"', 'she', 'asked', ',', 'quietly', '.']);
  });

  it('keeps inner punctuation and the dot of abbreviations', () => {
    expect(wordTokens("It's a term-end sale at $3.50 in the U.S. for Mr. J. Smith.")).toEqual(
      ["It's", 'a', 'term-end', 'sale', 'at', '$', '3.50', 'in', 'the', 'U.S.', 'for', 'Mr.', 'J.', 'Smith', '.'],
    );
  });

  it('treats double hyphens and dashes as separators', () => {
    expect(wordTokens('Sorrow came--a gentle sorrow\u2014but not')).toEqual(['Sorrow', 'came', '--', 'a', 'gentle', 'sorrow', '--', 'but', 'not']);
  });

  it('knows punctuation tokens', () => {
    expect(['``', "''", '--', '?"', ','].every(isPunctuationToken)).toBe(true);
    expect(['a', '3', "it's"].some(isPunctuationToken)).toBe(false);
  });
});
