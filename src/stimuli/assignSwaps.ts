import { UserError, shown } from '../util/index.js';
import type { RandomSource } from '../util/index.js';
import type { SwapRule } from './swapRules/index.js';

export interface AssignedSwaps {
  /** One replacement per word position of each sequence. */
  swaps: string[][];
  /** Positions where the rule had no candidate and the fallback chose. */
  fallbacks: number;
  positions: number;
}

/**
 * Chooses one replacement for every word position of every sequence, in order (sequence by sequence, position
 * by position), so the same random stream gives the same swaps. Where the rule has no candidate the fallback
 * rule chooses, and the position is counted.
 */
export function assignSwaps(sequences: readonly string[][], rule: SwapRule, fallback: SwapRule, random: RandomSource): AssignedSwaps {
  let fallbacks = 0;
  let positions = 0;
  const swaps = sequences.map((words, sequence) =>
    words.map((word, position) => {
      positions++;
      const chosen = rule.choose(word, random, { sequence, position });
      if (chosen !== null) return chosen;
      fallbacks++;
      const other = fallback.choose(word, random, { sequence, position });
      if (other === null) throw new UserError(`no replacement can be found for ${shown(word)}: the corpus vocabulary has no other (single-token) word`);
      return other;
    }),
  );
  return { swaps, fallbacks, positions };
}
