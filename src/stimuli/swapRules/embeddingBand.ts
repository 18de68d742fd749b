import { concatenate } from '../../util/index.js';
import { shuffled, type RandomSource } from '../../util/index.js';
import type { EmbeddingSpace } from './embeddingSpace.js';

/** A band of input-embedding distances, mean |E[w] − E[w′]|. */
export interface DistanceBand {
  low: number;
  high: number;
}

/** The automatic band's half-width, relative to its centre: every swap moves the input by the same ±5 %. */
export const BAND_RELATIVE_HALF_WIDTH = 0.05;
/** Original words the automatic band is chosen on (a seeded sample when there are more). */
const BAND_SAMPLE_WORDS = 200;
/** A word counts as swappable within a band when it has at least this many candidates in it. */
const MIN_CANDIDATES_IN_BAND = 5;

/**
 * Chooses one narrow band for all positions: centre c, edges c(1 ± 5 %), with c the distance at which the most
 * original words (on a seeded sample) have at least 5 candidates inside the band, trying the 1st to 99th
 * percentiles of the sample's distances. Ties go to the band holding more candidates in all.
 */
export function chooseDistanceBand(originals: readonly string[], space: EmbeddingSpace, random: RandomSource): DistanceBand {
  const distinct = [...new Set(originals)].sort();
  const sample = distinct.length > BAND_SAMPLE_WORDS ? shuffled(random, distinct).slice(0, BAND_SAMPLE_WORDS) : distinct;
  const sorted = sample.map((word) => space.distancesFrom(word).sort());
  const pooled = concatenate(sorted, (length) => new Float32Array(length)).sort();
  let best = { band: bandAround(pooled[Math.floor(pooled.length / 2)]), words: -1, members: -1 };
  for (let percentile = 1; percentile <= 99; percentile++) {
    const band = bandAround(pooled[Math.floor((percentile / 100) * (pooled.length - 1))]);
    const counts = sorted.map((d) => countWithin(d, band));
    const words = counts.filter((n) => n >= MIN_CANDIDATES_IN_BAND).length;
    const members = counts.reduce((a, b) => a + b, 0);
    if (words > best.words || (words === best.words && members > best.members)) best = { band, words, members };
  }
  return best.band;
}

function bandAround(centre: number): DistanceBand {
  return { low: centre * (1 - BAND_RELATIVE_HALF_WIDTH), high: centre * (1 + BAND_RELATIVE_HALF_WIDTH) };
}

/** Values of an ascending array inside [low, high]. */
export function countWithin(ascending: Float32Array, band: DistanceBand): number {
  return lowerBound(ascending, band.high, true) - lowerBound(ascending, band.low, false);
}

/** First index whose value is > x (inclusive) or ≥ x (exclusive). */
function lowerBound(ascending: Float32Array, x: number, inclusive: boolean): number {
  let low = 0, high = ascending.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (inclusive ? ascending[mid] <= x : ascending[mid] < x) low = mid + 1;
    else high = mid;
  }
  return low;
}
