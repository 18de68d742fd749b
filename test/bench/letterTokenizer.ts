import type { TokenizedWords, WordTokenizer } from '../../src/model/types.js';

/** A tokenizer double: each letter of a word is one token (its char code), after an optional BOS (id 0). */
export function letterTokenizer(withBos = false): WordTokenizer {
  const idsOf = (word: string) => [...word].map((c) => c.charCodeAt(0));
  return {
    vocabularySize: 128,
    wordTokenCount: (word) => word.length,
    wordTokenIds: idsOf,
    tokenizeWords(words): TokenizedWords {
      const ids: number[] = withBos ? [0] : [];
      const wordSpans: Array<[number, number]> = words.map((word) => {
        const start = ids.length;
        ids.push(...idsOf(word));
        return [start, ids.length];
      });
      return { ids, wordSpans, hasBos: withBos };
    },
  };
}
