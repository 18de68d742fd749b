import { deriveSeed, type RandomSource } from '../../util/index.js';
import type { DistanceBand } from './embeddingBand.js';
import type { EmbeddingSpace } from './embeddingSpace.js';
import type { SwapRule } from './swapRule.js';

/**
 * `embedding`: uniform over the candidate words whose input-embedding distance to the original lies in `band`
 * (the same band for every position, so every swap perturbs the input by about the same amount). No candidate
 * when none lies in the band.
 */
export function embeddingSwapRule(space: EmbeddingSpace, band: DistanceBand): SwapRule {
  const inBand = new Map<string, Uint32Array>();
  const membersOf = (word: string): Uint32Array => {
    let members = inBand.get(word);
    if (!members) {
      const distances = space.distancesFrom(word);
      const indices: number[] = [];
      distances.forEach((d, c) => {
        if (d >= band.low && d <= band.high && space.candidates[c] !== word) indices.push(c);
      });
      members = Uint32Array.from(indices);
      inBand.set(word, members);
    }
    return members;
  };
  return {
    name: 'embedding',
    choose: (word, random) => {
      const members = membersOf(word);
      return members.length === 0 ? null : space.candidates[stableDraw(members, random)];
    },
  };
}

/**
 * One member, uniformly: each candidate gets a key from one draw of `random` and its own index among all
 * candidates, and the smallest key among the members wins. Uniform like an index drawn into the list, but stable
 * when the list changes slightly: a candidate entering or leaving the band at its edges (as the embeddings of a
 * quantized file move distances by quantization noise) changes the choice only if it is, or beats, the winner, so
 * a q8 file picks what its fp32 original picks for almost every swap (an index into the list would shift with
 * every member before it).
 */
function stableDraw(members: Uint32Array, random: RandomSource): number {
  const draw = Math.floor(random() * 4294967296);
  let best = members[0];
  let bestKey = deriveSeed(draw, best);
  for (let i = 1; i < members.length; i++) {
    const key = deriveSeed(draw, members[i]);
    if (key < bestKey) { best = members[i]; bestKey = key; }
  }
  return best;
}
