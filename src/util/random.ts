/**
 * Seeded random numbers. Every random choice in iw takes a RandomSource (as simple-statistics does),
 * so the same seed gives the same stimuli, splits and bootstrap samples, byte for byte.
 */
export type RandomSource = () => number;

/** splitmix32: spreads a small integer seed over all 32 bits (used to seed sfc32). */
function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * The seed of stream `index` of `seed` (e.g. bootstrap replicate r): both are mixed through splitmix32, so
 * neighbouring indices give unrelated streams, and any stream can be drawn alone, in any order, on any worker.
 */
export function deriveSeed(seed: number, index: number): number {
  const mixed = splitmix32((seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0);
  mixed();
  return mixed();
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, PractRand-clean), seeded by splitmix32.
 * Returns floats in [0, 1) with 32 bits of randomness.
 */
export function createRandom(seed: number): RandomSource {
  const next = splitmix32(seed);
  let a = next(), b = next(), c = next(), d = next();
  const source = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) source(); // discard the first outputs, as sfc32's author recommends
  return source;
}

/** A uniform integer in [0, n). */
export function randomInt(random: RandomSource, n: number): number {
  return Math.floor(random() * n);
}

/** One element chosen uniformly. */
export function randomChoice<T>(random: RandomSource, items: readonly T[]): T {
  if (items.length === 0) throw new Error('randomChoice: no items');
  return items[randomInt(random, items.length)];
}

/** Fisher–Yates shuffle of a copy. */
export function shuffled<T>(random: RandomSource, items: readonly T[]): T[] {
  const copy = items.slice();
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
