import type { RandomSource } from '../../util/random.js';
import type { SwapRuleName } from '../types.js';

/** Chooses one replacement word for an original word. */
export interface SwapRule {
  name: SwapRuleName;
  /** A replacement other than `word`, or null when the rule has no candidate (the caller falls back to another rule). */
  choose(word: string, random: RandomSource): string | null;
}
