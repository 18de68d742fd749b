import { bandOffset, type LayerDifferences } from '../measure/index.js';
import { UserError } from '../util/index.js';
import { medianInPlace, sortedFinite, sortedQuantile } from './quantiles.js';

/** How windows are formed (see computeLayerWindows). */
export interface WindowOptions {
  /** Smallest swap position used (the authors skip the first words): t − maxLag ≥ minSwap. */
  minSwap: number;
}

/** The authors' setting (the first two words' swaps are not used); --min-swap's default is this one. */
export const defaultWindowOptions: WindowOptions = { minSwap: 2 };

export interface UnitExclusions {
  /** Units with D(t, t) zero or not finite at every measured word. */
  zeroAtEveryWord: number;
  /** Units with D(t, t) zero or not finite at some measured words but not all. */
  zeroAtSomeWords: number;
}

export interface LayerWindows {
  layer: number;
  maxLag: number;
  width: number;
  minSwap: number;
  /** The measured words t the windows are medians over. */
  measuredWords: number[];
  /** Words t that qualify by position but were left out because some k in t − maxLag..t had no swap. */
  skippedWords: number[];
  /** 1 for units in the windows, 0 for excluded ones. */
  includedUnits: Uint8Array;
  exclusions: UnitExclusions;
  /** Row-major [width × (maxLag + 1)]: w_u(Δ); NaN rows for excluded (or not computed) units. */
  unitWindows: Float64Array;
  /** [maxLag + 1]; null when every unit is excluded. */
  populationWindow: Float64Array | null;
  /** Per lag, quartiles of w_u(Δ) across included units (windows.csv). */
  unitWindowQuartiles: { q1: Float64Array; median: Float64Array; q3: Float64Array };
}

/** Measured words t, split into those usable and those lacking a swap at some k in t − maxLag..t. */
export function measuredWordsOf(differences: LayerDifferences, minSwap: number): { measured: number[]; skipped: number[] } {
  const { wordCount, maxLag, swapCounts } = differences;
  const first = minSwap + maxLag;
  if (wordCount - 1 < first) {
    throw new UserError(
      `windows need sequences of at least ${first + 1} words for --max-lag ${maxLag} and --min-swap ${minSwap} ` +
        `(a measured word t must have t − maxLag ≥ ${minSwap}); these sequences have ${wordCount} (--words)`,
    );
  }
  const measured: number[] = [];
  const skipped: number[] = [];
  for (let t = first; t < wordCount; t++) {
    let complete = true;
    for (let k = t - maxLag; k <= t; k++) if (!(swapCounts[k] > 0)) complete = false;
    (complete ? measured : skipped).push(t);
  }
  return { measured, skipped };
}

function requireMeasuredWords(differences: LayerDifferences, minSwap: number): { measured: number[]; skipped: number[] } {
  const words = measuredWordsOf(differences, minSwap);
  if (words.measured.length === 0) {
    throw new UserError(
      `layer ${differences.layer}: no measured word t has swaps at every position t − ${differences.maxLag}..t ` +
        `(positions without any swap: ${missingSwapPositions(differences).join(', ')})`,
    );
  }
  return words;
}

function missingSwapPositions(differences: LayerDifferences): number[] {
  return Array.from(differences.swapCounts).flatMap((count, k) => (count > 0 ? [] : [k]));
}

/** Which units enter the windows: D(t, t) > 0 and finite at every measured word. */
export function includedUnitsOf(differences: LayerDifferences, measured: readonly number[]): { included: Uint8Array; exclusions: UnitExclusions } {
  const { width } = differences;
  const included = new Uint8Array(width);
  const exclusions: UnitExclusions = { zeroAtEveryWord: 0, zeroAtSomeWords: 0 };
  for (let u = 0; u < width; u++) {
    let zeroWords = 0;
    for (const t of measured) {
      const lagZero = differences.values[bandOffset(differences, t, 0) + u];
      if (!(lagZero > 0 && Number.isFinite(lagZero))) zeroWords++;
    }
    if (zeroWords === 0) included[u] = 1;
    else if (zeroWords === measured.length) exclusions.zeroAtEveryWord++;
    else exclusions.zeroAtSomeWords++;
  }
  return { included, exclusions };
}

/**
 * Unit and population windows of one layer. `units` restricts the unit windows to a subset (the population
 * window always uses every included unit). Throws a UserError when no measured word qualifies.
 *
 * Integration windows (docs/method.md §4). For every measured word t with t − maxLag ≥ minSwap:
 *   W_u(Δ; t) = D(t − Δ, t) / D(t, t),  Δ = 0..maxLag;
 * unit window w_u(Δ) = median over t of W_u(Δ; t); population window = median over t of the mean over units
 * of W_u(Δ; t). A unit whose lag-0 effect D(t, t) is zero (or not finite) at ANY measured word is left out of
 * the layer entirely (its unit window is NaN and it is not in the population mean), so the population mean is
 * over the same units at every t; excluded units are counted, split into zero at every measured word
 * (a unit the swaps never move) and zero at some only.
 */
export function computeLayerWindows(differences: LayerDifferences, options: WindowOptions = defaultWindowOptions, units?: ArrayLike<number>): LayerWindows {
  const { measured, skipped } = requireMeasuredWords(differences, options.minSwap);
  const { included, exclusions } = includedUnitsOf(differences, measured);
  const unitWindows = computeUnitWindows(differences, measured, included, units);
  return {
    layer: differences.layer,
    maxLag: differences.maxLag,
    width: differences.width,
    minSwap: options.minSwap,
    measuredWords: measured,
    skippedWords: skipped,
    includedUnits: included,
    exclusions,
    unitWindows,
    populationWindow: populationWindowOver(differences, measured, included),
    unitWindowQuartiles: quartilesPerLag(unitWindows, differences.width, differences.maxLag),
  };
}

/**
 * The population window alone (what a bootstrap replicate needs); null when every unit is excluded or no
 * measured word has all its swaps. Throws a UserError only when the sequences are too short.
 */
export function computePopulationWindow(differences: LayerDifferences, options: WindowOptions = defaultWindowOptions): Float64Array | null {
  const { measured } = measuredWordsOf(differences, options.minSwap);
  if (measured.length === 0) return null;
  const { included } = includedUnitsOf(differences, measured);
  return populationWindowOver(differences, measured, included);
}

/**
 * Each chosen included unit's median over the measured words of W_u(Δ; t), lag by lag. The ratios of one lag are
 * gathered word by word across the units (D holds a word's units side by side: one pass over memory), then each
 * unit's row is reduced to its median; the median of the same values, whichever order they were gathered in.
 */
function computeUnitWindows(differences: LayerDifferences, measured: readonly number[], included: Uint8Array, units?: ArrayLike<number>): Float64Array {
  const { width, maxLag, values } = differences;
  const points = maxLag + 1;
  const unitWindows = new Float64Array(width * points).fill(NaN);
  const chosen = Array.from(units ?? { length: width }, (unit, i) => (units ? unit : i)).filter((u) => included[u]);
  const count = measured.length;
  // ratios[i × count + j]: chosen unit i at measured word j, for the lag at hand
  const ratios = new Float64Array(chosen.length * count);
  for (let lag = 0; lag <= maxLag; lag++) {
    for (let j = 0; j < count; j++) {
      const t = measured[j];
      const atLag = bandOffset(differences, t - lag, lag), lagZero = bandOffset(differences, t, 0);
      for (let i = 0; i < chosen.length; i++) ratios[i * count + j] = values[atLag + chosen[i]] / values[lagZero + chosen[i]];
    }
    for (let i = 0; i < chosen.length; i++) unitWindows[chosen[i] * points + lag] = medianInPlace(ratios.subarray(i * count, (i + 1) * count), count);
  }
  return unitWindows;
}

function populationWindowOver(differences: LayerDifferences, measured: readonly number[], included: Uint8Array): Float64Array | null {
  const { maxLag, values } = differences;
  const unitList = Array.from(included).flatMap((isIn, u) => (isIn ? [u] : []));
  if (unitList.length === 0) return null;
  const perWord = Array.from({ length: maxLag + 1 }, () => new Float64Array(measured.length));
  measured.forEach((t, j) => {
    const lagZero = bandOffset(differences, t, 0);
    for (let lag = 0; lag <= maxLag; lag++) {
      const atLag = bandOffset(differences, t - lag, lag);
      let sum = 0;
      for (const u of unitList) sum += values[atLag + u] / values[lagZero + u];
      perWord[lag][j] = sum / unitList.length;
    }
  });
  const window = new Float64Array(maxLag + 1);
  for (let lag = 0; lag <= maxLag; lag++) window[lag] = medianInPlace(perWord[lag], measured.length);
  return window;
}

function quartilesPerLag(unitWindows: Float64Array, width: number, maxLag: number): LayerWindows['unitWindowQuartiles'] {
  const q1 = new Float64Array(maxLag + 1);
  const median = new Float64Array(maxLag + 1);
  const q3 = new Float64Array(maxLag + 1);
  for (let lag = 0; lag <= maxLag; lag++) {
    const column = Float64Array.from({ length: width }, (_, u) => unitWindows[u * (maxLag + 1) + lag]);
    const sorted = sortedFinite(column);
    q1[lag] = sortedQuantile(sorted, 0.25);
    median[lag] = sortedQuantile(sorted, 0.5);
    q3[lag] = sortedQuantile(sorted, 0.75);
  }
  return { q1, median, q3 };
}
