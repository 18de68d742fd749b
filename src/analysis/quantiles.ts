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

/**
 * Median of the first `count` entries of a scratch buffer (reordered in place); for hot loops. The same number as
 * sorting and taking sortedQuantile(·, 0.5), in the order a typed array sorts (NaN last, −0 before +0), but by
 * selection: only the one or two middle order statistics are placed, in linear time (a layer's unit windows take
 * 48,000 medians of about 130 values, and sorting them was most of the windows' time).
 */
export function medianInPlace(scratch: Float64Array, count: number): number {
  if (count === 0) return NaN;
  const below = Math.floor((count - 1) / 2);
  const lower = selectInPlace(scratch, count, below);
  if (count % 2 === 1) return lower;
  // the upper middle: the least of the entries selection left above the lower middle
  let upper = scratch[below + 1];
  for (let i = below + 2; i < count; i++) if (sortsBefore(scratch[i], upper)) upper = scratch[i];
  return lower === upper ? lower : lower + 0.5 * (upper - lower);
}

/** The typed-array sort order: numbers ascending, −0 before +0, NaN after everything. */
function sortsBefore(a: number, b: number): boolean {
  if (a < b) return true;
  if (Number.isNaN(a)) return false;
  if (Number.isNaN(b)) return true;
  return a === 0 && b === 0 && Object.is(a, -0) && !Object.is(b, -0);
}

/**
 * Hoare's selection (quickselect): reorders values[0..count) so that position k holds what a sort would put there,
 * every entry before it sorting before or equal to it and every entry after it not before it; returns it.
 */
function selectInPlace(values: Float64Array, count: number, k: number): number {
  let low = 0, high = count - 1;
  while (high > low) {
    // median of three as the pivot: sorted or reversed input stays linear
    const middle = (low + high) >>> 1;
    if (sortsBefore(values[high], values[low])) swap(values, low, high);
    if (sortsBefore(values[middle], values[low])) swap(values, middle, low);
    if (sortsBefore(values[high], values[middle])) swap(values, high, middle);
    const pivot = values[middle];
    let i = low, j = high;
    while (i <= j) {
      while (sortsBefore(values[i], pivot)) i++;
      while (sortsBefore(pivot, values[j])) j--;
      if (i <= j) swap(values, i++, j--);
    }
    if (k <= j) high = j;
    else if (k >= i) low = i;
    else break;
  }
  return values[k];
}

function swap(values: Float64Array, i: number, j: number): void {
  const held = values[i];
  values[i] = values[j];
  values[j] = held;
}
