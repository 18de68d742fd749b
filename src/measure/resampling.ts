import { randomInt, shuffled, type RandomSource } from '../util/index.js';

/** Weight 1 for every part: forms D over all sequences. */
export function allPartsWeights(partCount: number): Float64Array {
  return new Float64Array(partCount).fill(1);
}

/** A bootstrap resample: partCount draws with replacement; weight = how often each part was drawn. */
export function resampleWeights(partCount: number, random: RandomSource): Float64Array {
  const weights = new Float64Array(partCount);
  for (let draw = 0; draw < partCount; draw++) weights[randomInt(random, partCount)] += 1;
  return weights;
}

/**
 * Two disjoint halves by a seeded shuffle, as 0/1 weights; with an odd count the first half has one part more.
 */
export function halfSplitWeights(partCount: number, random: RandomSource): [Float64Array, Float64Array] {
  if (partCount < 2) throw new Error(`halfSplitWeights: need at least 2 parts to split (got ${partCount})`);
  const order = shuffled(random, Array.from({ length: partCount }, (_, p) => p));
  const first = new Float64Array(partCount);
  const second = new Float64Array(partCount);
  const firstSize = Math.ceil(partCount / 2);
  order.forEach((part, position) => {
    if (position < firstSize) first[part] = 1;
    else second[part] = 1;
  });
  return [first, second];
}
