import { randomInt } from '../../util/random.js';
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
      return members.length === 0 ? null : space.candidates[members[randomInt(random, members.length)]];
    },
  };
}
