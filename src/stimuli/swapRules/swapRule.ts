import type { RandomSource } from '../../util/index.js';
import type { SwapRuleName } from '../types.js';

/** Where a word stands: its sequence and its position in it (rules that look at the context use it). */
export interface WordPlace {
  sequence: number;
  position: number;
}

/** Chooses one replacement word for an original word. */
export interface SwapRule {
  name: SwapRuleName;
  /**
   * A replacement other than `word`, or null when the rule has no candidate (the caller falls back to another rule).
   * `place` is where the word stands: rules that look at its context (probable) need it; the others ignore it.
   */
  choose(word: string, random: RandomSource, place?: WordPlace): string | null;
}
