import type { WordTokenizer } from '../model/index.js';
import type { Stimuli } from './types.js';

/** Token counts of words under one tokenizer, each word tokenized once. */
export class TokenCounter {
  private readonly counts = new Map<string, number>();

  constructor(readonly tokenizer: WordTokenizer) {}

  count(word: string): number {
    let count = this.counts.get(word);
    if (count === undefined) {
      count = this.tokenizer.wordTokenCount(word);
      this.counts.set(word, count);
    }
    return count;
  }

  isSingleToken(word: string): boolean {
    return this.count(word) === 1;
  }
}

/**
 * Share of swaps whose replacement takes a different number of tokens from the original word: each such swap
 * shifts the positions of every later token (docs/method.md §1). 0 when there are no swaps.
 */
export function tokenCountChangedShare(stimuli: Pick<Stimuli, 'sequences'>, tokens: TokenCounter): number {
  let swaps = 0;
  let changed = 0;
  for (const sequence of stimuli.sequences) {
    sequence.swaps.forEach((swap, k) => {
      if (swap === null) return;
      swaps++;
      if (tokens.count(swap) !== tokens.count(sequence.words[k])) changed++;
    });
  }
  return swaps === 0 ? 0 : changed / swaps;
}
