/** A token with no letter or digit in it: punctuation, quote marks, dashes. */
export function isPunctuationToken(token: string): boolean {
  return !/[\p{L}\p{N}]/u.test(token);
}

/** Dashes that separate words rather than join them: two or more hyphens, en and em dashes, the bar. */
const SEPARATING_DASH = /--+|[\u2013\u2014\u2015]/g;

/** Abbreviations whose dot belongs to the word, not to the sentence (the segmenter knows them too). */
const TITLES = new Set(['mr', 'mrs', 'ms', 'messrs', 'dr', 'st', 'jr', 'sr', 'prof', 'rev', 'gen', 'col', 'capt', 'lt', 'sgt', 'gov', 'sen', 'rep', 'vs', 'etc', 'co', 'inc', 'ltd', 'no']);

/**
 * Splits a sentence of running text into tokens the way the Brown corpus does: words, and punctuation as
 * tokens of its own ("Really?" → `"`, `Really`, `?`, `"`), so cleaning can tell where punctuation stood.
 * Inner punctuation stays with its word (it's, term-end, 3.50); abbreviations keep their dot (U.S., e.g.,
 * Mr., J.).
 */
export function wordTokens(sentence: string): string[] {
  const tokens: string[] = [];
  for (const chunk of sentence.replace(SEPARATING_DASH, ' -- ').split(/\s+/)) {
    if (chunk.length > 0) tokens.push(...splitChunk(chunk));
  }
  return tokens;
}

function splitChunk(chunk: string): string[] {
  if (isPunctuationToken(chunk)) return [chunk];
  // Both patterns match the empty string, so they match every chunk.
  const leading = /^[^\p{L}\p{N}]*/u.exec(chunk)?.[0] ?? '';
  let trailing = /[^\p{L}\p{N}]*$/u.exec(chunk)?.[0] ?? '';
  let word = chunk.slice(leading.length, chunk.length - trailing.length);
  if (trailing.startsWith('.') && isAbbreviation(word)) {
    word += '.';
    trailing = trailing.slice(1);
  }
  return [leading, word, trailing].filter((part) => part.length > 0);
}

function isAbbreviation(word: string): boolean {
  return word.includes('.') || /^\p{Lu}$/u.test(word) || TITLES.has(word.toLowerCase());
}
