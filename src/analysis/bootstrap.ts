import { resampleWeights, type KeptDifferences } from '../measure/index.js';
import { createRandom, deriveSeed } from '../util/index.js';
import { sortedFinite, sortedQuantile } from './quantiles.js';

/** A bootstrap over sequences: see bootstrapReplicates and percentileInterval. */
export interface BootstrapOptions {
  replicates: number;
  /** Coverage of the intervals, e.g. 0.95. */
  confidence: number;
  /** Replicate r draws from its own stream, derived from this seed and r (see replicateWeights). */
  seed: number;
}

export interface Interval {
  /** The statistic on all sequences. */
  estimate: number;
  lower: number;
  upper: number;
  /** Replicates where the statistic was defined. */
  replicates: number;
}

/**
 * A percentile interval: the (1 − confidence)/2 and (1 + confidence)/2 quantiles of the replicate values
 * (linear interpolation). Replicates where the statistic is undefined (NaN) are left out and counted; Infinity
 * (e.g. a half-decay lag beyond maxLag) sorts above every finite value.
 */
export function percentileInterval(estimate: number, replicateValues: ArrayLike<number>, confidence: number): Interval {
  const sorted = sortedFinite(replicateValues);
  return {
    estimate,
    lower: sortedQuantile(sorted, (1 - confidence) / 2),
    upper: sortedQuantile(sorted, (1 + confidence) / 2),
    replicates: sorted.length,
  };
}

/**
 * Bootstrap over sequences (docs/method.md §5): each replicate draws the kept sequences (or groups of sequences) with
 * replacement and forms D again from the kept per-sequence differences, so no model is ever re-run. Runs
 * `statistic` on `replicates` resamples of the kept parts, in order. Replicate r's resample comes from its
 * own seeded stream (replicateWeights), not from one stream shared in sequence, so that replicates can be
 * drawn on any number of workers in any order and still give the same values.
 */
export function bootstrapReplicates<T>(kept: Pick<KeptDifferences, 'partCount'>, options: BootstrapOptions, statistic: (weights: Float64Array) => T): T[] {
  checkBootstrap(kept, options);
  return Array.from({ length: options.replicates }, (_, replicate) => statistic(replicateWeights(kept.partCount, options.seed, replicate)));
}

/** Replicate r's resample: partCount draws with replacement from the stream deriveSeed(seed, r). */
export function replicateWeights(partCount: number, seed: number, replicate: number): Float64Array {
  return resampleWeights(partCount, createRandom(deriveSeed(seed, replicate)));
}

export function checkBootstrap(kept: Pick<KeptDifferences, 'partCount'>, options: BootstrapOptions): void {
  if (kept.partCount < 2) throw new Error('bootstrap: needs sequences kept apart (keep: "sequences" or groups), at least 2');
  if (!(Number.isInteger(options.replicates) && options.replicates >= 1)) throw new Error(`bootstrap: bad replicate count ${options.replicates}`);
  if (!(options.confidence > 0 && options.confidence < 1)) throw new Error(`bootstrap: confidence must lie in (0, 1), got ${options.confidence}`);
}
