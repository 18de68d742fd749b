import type { EmbeddingMatrix, TokenizedWords, WordTokenizer } from '../../src/model/types.js';

/**
 * A tokenizer whose token counts are known: a word takes ceil(length / charsPerToken) tokens, and its ids are
 * consecutive numbers given out in order of first sight (one id per token).
 */
export function fakeTokenizer(charsPerToken = 5): WordTokenizer & { idsOf: Map<string, number[]> } {
  const idsOf = new Map<string, number[]>();
  let next = 0;
  const wordTokenIds = (word: string): number[] => {
    let ids = idsOf.get(word);
    if (!ids) {
      ids = Array.from({ length: Math.max(1, Math.ceil(word.length / charsPerToken)) }, () => next++);
      idsOf.set(word, ids);
    }
    return ids;
  };
  return {
    idsOf,
    vocabularySize: 1_000_000,
    wordTokenCount: (word) => wordTokenIds(word).length,
    wordTokenIds,
    tokenizeWords(words: readonly string[]): TokenizedWords {
      const ids: number[] = [];
      const wordSpans: Array<[number, number]> = [];
      for (const word of words) {
        const start = ids.length;
        ids.push(...wordTokenIds(word));
        wordSpans.push([start, ids.length]);
      }
      return { ids, wordSpans, hasBos: false };
    },
  };
}

/**
 * Words w0 … w(n−1) (spelled xaa, xab, …: alphabetic, and sorted in index order), each one token with id i, and an embedding of width 2 whose row i is [0.1 i, 0]:
 * the distance mean |E[wi] − E[wj]| over the 2 units is 0.05 |i − j| in closed form.
 */
export function lineEmbedding(n: number): { words: string[]; tokenizer: WordTokenizer; embedding: EmbeddingMatrix } {
  const words = Array.from({ length: n }, (_, i) => `x${String.fromCharCode(97 + Math.floor(i / 26))}${String.fromCharCode(97 + (i % 26))}`);
  const index = new Map(words.map((w, i) => [w, i]));
  const values = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) values[i * 2] = 0.1 * i;
  const tokenizer: WordTokenizer = {
    vocabularySize: n,
    wordTokenCount: () => 1,
    wordTokenIds: (word) => [index.get(word)!],
    tokenizeWords: (ws) => ({ ids: ws.map((w) => index.get(w)!), wordSpans: ws.map((_, i) => [i, i + 1] as [number, number]), hasBos: false }),
  };
  return { words, tokenizer, embedding: { vocabularySize: n, width: 2, values } };
}
