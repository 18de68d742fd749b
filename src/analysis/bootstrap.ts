import { resampleWeights, type KeptDifferences } from '../measure/index.js';
import type { RandomSource } from '../util/random.js';
import { sortedFinite, sortedQuantile } from './quantiles.js';

/**
 * Bootstrap over sequences (docs/method.md §5): each replicate draws the kept sequences (or groups of sequences)
 * with replacement from a seeded generator and forms D again from the kept per-sequence differences, so no
 * model is ever re-run. Intervals are percentile intervals: the (1 − confidence)/2 and (1 + confidence)/2
 * quantiles of the replicate values (linear interpolation). Replicates where the statistic is undefined (NaN)
 * are left out and counted; Infinity (e.g. a half-decay lag beyond maxLag) sorts above every finite value.
 */
export interface BootstrapOptions {
  replicates: number;
  /** Coverage of the intervals, e.g. 0.95. */
  confidence: number;
  random: RandomSource;
}

export interface Interval {
  /** The statistic on all sequences. */
  estimate: number;
  lower: number;
  upper: number;
  /** Replicates where the statistic was defined. */
  replicates: number;
}

export function percentileInterval(estimate: number, replicateValues: ArrayLike<number>, confidence: number): Interval {
  const sorted = sortedFinite(replicateValues);
  return {
    estimate,
    lower: sortedQuantile(sorted, (1 - confidence) / 2),
    upper: sortedQuantile(sorted, (1 + confidence) / 2),
    replicates: sorted.length,
  };
}

/** Runs `statistic` on `replicates` resamples of the kept parts, in order (so a seed gives the same values). */
export function bootstrapReplicates<T>(kept: Pick<KeptDifferences, 'partCount'>, options: BootstrapOptions, statistic: (weights: Float64Array) => T): T[] {
  if (kept.partCount < 2) throw new Error('bootstrap: needs sequences kept apart (keep: "sequences" or groups), at least 2');
  if (!(Number.isInteger(options.replicates) && options.replicates >= 1)) throw new Error(`bootstrap: bad replicate count ${options.replicates}`);
  if (!(options.confidence > 0 && options.confidence < 1)) throw new Error(`bootstrap: confidence must lie in (0, 1), got ${options.confidence}`);
  const values: T[] = [];
  for (let replicate = 0; replicate < options.replicates; replicate++) values.push(statistic(resampleWeights(kept.partCount, options.random)));
  return values;
}
