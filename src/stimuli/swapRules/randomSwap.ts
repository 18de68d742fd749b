import type { TokenCounter } from '../tokenCounts.js';
import type { Vocabulary } from '../vocabulary.js';
import { SingleTokenPool } from './singleTokenPool.js';
import type { SwapRule } from './swapRule.js';

/** `random`: uniform over the corpus vocabulary (a control); single tokens where possible (only, when strict). */
export function randomSwapRule(vocabulary: Vocabulary, tokens: TokenCounter | undefined, strict: boolean): SwapRule {
  const pool = new SingleTokenPool(vocabulary.types, tokens, strict);
  return { name: 'random', choose: (word, random) => pool.draw(word, random) };
}
