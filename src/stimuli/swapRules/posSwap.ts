import type { TokenCounter } from '../tokenCounts.js';
import type { Vocabulary } from '../vocabulary.js';
import { SingleTokenPool } from './singleTokenPool.js';
import type { SwapRule } from './swapRule.js';

/**
 * Tags with fewer candidate types than this share one pool, as the authors do: Brown gives many function
 * words a tag of their own (was/bedz, do/do), and a same-tag swap is impossible for them.
 */
export const MIN_TAG_TYPES = 5;

/**
 * `pos`: uniform over word types with the original's part-of-speech tag, a type's tag being the last tag the
 * corpus gives it; single tokens where possible (only, when strict). Types of rare tags (fewer than 5 candidate
 * types, counting single-token types when a tokenizer is given) are pooled together.
 */
export function posSwapRule(vocabulary: Vocabulary, tokens: TokenCounter | undefined, strict: boolean): SwapRule {
  const typesByTag = groupTypesByTag(vocabulary);
  const pools = new Map<string, SingleTokenPool>();
  const pooledTypes: string[] = [];
  const pooledTags: string[] = [];
  for (const [tag, types] of typesByTag) {
    const candidates = tokens ? types.filter((t) => tokens.isSingleToken(t)).length : types.length;
    if (candidates >= MIN_TAG_TYPES) {
      pools.set(tag, new SingleTokenPool(types, tokens, strict));
    } else {
      pooledTags.push(tag);
      pooledTypes.push(...types);
    }
  }
  const rareTagPool = new SingleTokenPool(pooledTypes.sort(), tokens, strict);
  for (const tag of pooledTags) pools.set(tag, rareTagPool);
  return {
    name: 'pos',
    choose: (word, random) => {
      const tag = vocabulary.tagOf.get(word);
      const pool = tag === undefined ? undefined : pools.get(tag);
      return pool ? pool.draw(word, random) : null;
    },
  };
}

/** Types of each tag, sorted (vocabulary.types is), tags in order of first appearance there. */
function groupTypesByTag(vocabulary: Vocabulary): Map<string, string[]> {
  const typesByTag = new Map<string, string[]>();
  for (const type of vocabulary.types) {
    const tag = vocabulary.tagOf.get(type);
    if (tag === undefined) continue;
    let types = typesByTag.get(tag);
    if (!types) typesByTag.set(tag, (types = []));
    types.push(type);
  }
  return typesByTag;
}
