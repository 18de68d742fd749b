import type { TokenizedWords, WordTokenizer } from '../src/model/types.js';
import type { StimulusSequence } from '../src/stimuli/types.js';

/** A sequence as the model sees it: its own tokens and those of each swapped version. */
export interface TokenizedSequence {
  original: TokenizedWords;
  swaps: Array<{ swapPosition: number; tokens: TokenizedWords }>;
}

/** Token positions a forward pass computes (padding excluded), per engine, and the swaps they measure. */
export interface TokenPositions {
  /** The original (T tokens) plus every swapped sequence in full: about (N + 1)·T. */
  naive: number;
  /** The original plus, per swap at k, only the band: word k's first token to word k + maxLag's last. */
  fast: number;
  /** The original plus, per swap at k, the swapped sequence from its start to the band's end (no past inputs). */
  truncated: number;
  swaps: number;
}

export function tokenizeSequence(sequence: StimulusSequence, tokenizer: WordTokenizer): TokenizedSequence {
  const swaps: TokenizedSequence['swaps'] = [];
  sequence.swaps.forEach((replacement, swapPosition) => {
    if (replacement === null) return;
    const words = sequence.words.slice();
    words[swapPosition] = replacement;
    swaps.push({ swapPosition, tokens: tokenizer.tokenizeWords(words) });
  });
  return { original: tokenizer.tokenizeWords(sequence.words), swaps };
}

/** The most tokens any version of the sequence takes: it must fit in the model's context. */
export function longestTokenCount(sequence: TokenizedSequence): number {
  return Math.max(sequence.original.ids.length, ...sequence.swaps.map((swap) => swap.tokens.ids.length));
}

/**
 * Token positions of one sequence under each engine, counted from the definitions (docs/method.md §8) rather
 * than from the engine's code: naive = T + Σ_k T_k, fast = T + Σ_k band tokens of the swapped sequence,
 * truncated = T + Σ_k tokens up to the band's end.
 */
export function sequenceTokenPositions(sequence: TokenizedSequence, maxLag: number): TokenPositions {
  const wordCount = sequence.original.wordSpans.length;
  let naive = sequence.original.ids.length;
  let fast = sequence.original.ids.length;
  let truncated = sequence.original.ids.length;
  for (const { swapPosition, tokens } of sequence.swaps) {
    const bandEnd = tokens.wordSpans[Math.min(swapPosition + maxLag, wordCount - 1)][1];
    naive += tokens.ids.length;
    fast += bandEnd - tokens.wordSpans[swapPosition][0];
    truncated += bandEnd;
  }
  return { naive, fast, truncated, swaps: sequence.swaps.length };
}

export function sumTokenPositions(parts: readonly TokenPositions[]): TokenPositions {
  return parts.reduce(
    (sum, p) => ({ naive: sum.naive + p.naive, fast: sum.fast + p.fast, truncated: sum.truncated + p.truncated, swaps: sum.swaps + p.swaps }),
    { naive: 0, fast: 0, truncated: 0, swaps: 0 },
  );
}
