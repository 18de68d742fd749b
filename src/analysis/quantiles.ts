/**
 * Quantiles as numpy's default (linear interpolation between order statistics, "type 7"), so the median of an
 * even count is the mean of the middle two. NaN values are left out; Infinity sorts above every finite value.
 */
export interface Quartiles {
  q1: number;
  median: number;
  q3: number;
  /** Values summarised (NaN left out). */
  count: number;
}

/** The q-quantile of values already sorted ascending (no NaN); NaN for an empty list. */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const position = (n - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, n - 1);
  const fraction = position - below;
  if (fraction === 0 || sorted[below] === sorted[above]) return sorted[below];
  return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

/** The values without NaN, sorted ascending. */
export function sortedFinite(values: ArrayLike<number>): Float64Array {
  const kept = Float64Array.from(values).filter((v) => !Number.isNaN(v));
  return kept.sort();
}

export function quantile(values: ArrayLike<number>, q: number): number {
  return sortedQuantile(sortedFinite(values), q);
}

export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}

export function quartiles(values: ArrayLike<number>): Quartiles {
  const sorted = sortedFinite(values);
  return { q1: sortedQuantile(sorted, 0.25), median: sortedQuantile(sorted, 0.5), q3: sortedQuantile(sorted, 0.75), count: sorted.length };
}

/** Median of the first `count` entries of a scratch buffer (reordered in place); for hot loops. */
export function medianInPlace(scratch: Float64Array, count: number): number {
  const view = scratch.subarray(0, count).sort();
  return sortedQuantile(view, 0.5);
}
