import { bandOffset, type LayerDifferences } from '../measure/index.js';
import { UserError } from '../util/index.js';
import { quartiles, sortedFinite, sortedQuantile, type Quartiles } from './quantiles.js';

/** The sentence layout of yoking stimuli: sentences of L words starting at known word indices. */
export interface YokingDesign {
  /** Words per sentence (L). */
  sentenceLength: number;
  /** Word indices where sentences start, the first sentence's included (e.g. 0, L, 2L, ...). */
  sentenceStarts: readonly number[];
}

export interface LayerYoking {
  layer: number;
  sentenceLength: number;
  /** The onsets Y averages over: sentence starts after the first. */
  onsets: number[];
  /** Per unit Y_u; NaN for excluded units. */
  unitY: Float64Array;
  /** Per unit Y_u over lags 1..L−2 only (NaN for L < 3). */
  unitYFromLagOne: Float64Array;
  y: Quartiles;
  yFromLagOne: Quartiles;
  /** [N]: mean over included units of F_u(k); NaN where F is not defined (k = 0, k > N − L + 1, missing swaps). */
  fProfile: Float64Array;
  /** The same over lags 1..L−2. */
  fProfileFromLagOne: Float64Array;
  /** Units with m_u = 0 (or not finite), left out. */
  excludedUnits: number;
}

/** Checks the design against the differences; returns the onsets Y averages over. */
export function yokingOnsets(differences: Pick<LayerDifferences, 'wordCount' | 'maxLag'>, design: YokingDesign): number[] {
  const { sentenceLength, sentenceStarts } = design;
  const { wordCount, maxLag } = differences;
  if (!(Number.isInteger(sentenceLength) && sentenceLength >= 2)) throw new UserError(`yoking needs sentences of at least 2 words (got ${sentenceLength})`);
  if (maxLag < sentenceLength - 2) {
    throw new UserError(`yoking with ${sentenceLength}-word sentences (--sentence-words) needs --max-lag of at least ${sentenceLength - 2} (L − 2); it is ${maxLag}`);
  }
  const sorted = [...sentenceStarts].sort((x, y) => x - y);
  const onsets = sorted.slice(1);
  const lastUsable = wordCount - sentenceLength + 1;
  for (const onset of onsets) {
    if (!(Number.isInteger(onset) && onset >= 1 && onset <= lastUsable)) {
      throw new UserError(`sentence start ${onset} cannot be used for yoking: F(k) needs 1 ≤ k ≤ N − L + 1 = ${lastUsable} (N = ${wordCount}, L = ${sentenceLength})`);
    }
  }
  if (onsets.length === 0) throw new UserError('yoking needs at least two sentences per sequence (Y averages over the onsets after the first)');
  return onsets;
}

/** m_u: median over swap positions with a swap of D(k, k). */
export function lagZeroMedians(differences: LayerDifferences): Float64Array {
  const { wordCount, width, values, swapCounts } = differences;
  const positions = Array.from({ length: wordCount }, (_, k) => k).filter((k) => swapCounts[k] > 0);
  const medians = new Float64Array(width);
  const column = new Float64Array(positions.length);
  for (let u = 0; u < width; u++) {
    positions.forEach((k, i) => (column[i] = values[bandOffset(differences, k, 0) + u]));
    medians[u] = sortedQuantile(sortedFinite(column), 0.5);
  }
  return medians;
}

/**
 * F_u(k) of one unit over lags firstLag..L−2, for every k (NaN where undefined), written into `out` ([N]).
 */
function unitBoundaryProfile(differences: LayerDifferences, unit: number, scale: number, sentenceLength: number, firstLag: number, out: Float64Array): void {
  const { wordCount, values, swapCounts } = differences;
  const lastLag = sentenceLength - 2;
  out.fill(NaN);
  if (firstLag > lastLag) return;
  for (let k = 1; k <= wordCount - sentenceLength + 1; k++) {
    if (!(swapCounts[k] > 0 && swapCounts[k - 1] > 0)) continue;
    let sum = 0;
    for (let lag = firstLag; lag <= lastLag; lag++) {
      sum += values[bandOffset(differences, k, lag) + unit] - values[bandOffset(differences, k - 1, lag) + unit];
    }
    out[k] = sum / (lastLag - firstLag + 1) / scale;
  }
}

function meanOver(values: Float64Array, indices: readonly number[]): number {
  let sum = 0;
  let count = 0;
  for (const i of indices) {
    if (Number.isNaN(values[i])) continue;
    sum += values[i];
    count++;
  }
  return count > 0 ? sum / count : NaN;
}

/**
 * Y and F of one layer.
 *
 * Structure yoking (docs/method.md §6), on yoking stimuli: sentences of L words starting at known word indices.
 *   m_u    = median over swap positions k (those with a swap) of D(k, k)
 *   F_u(k) = mean over Δ = 0..L−2 of [D(k, k + Δ) − D(k − 1, k − 1 + Δ)] / m_u,  for 1 ≤ k ≤ N − L + 1
 *            (both bands must reach k + L − 2, so maxLag ≥ L − 2; k and k − 1 must both have swaps)
 *   Y_u    = mean of F_u(k) over the sentence onsets after the first sentence (those where F_u is defined)
 * Units with m_u zero (or not finite) are left out and counted. The control Y over lags 1..L−2 leaves out the
 * lag-0 term (the swap's direct effect); layer 0's Y is the baseline a caller reads beside later layers.
 */
export function yokingOfLayer(differences: LayerDifferences, design: YokingDesign): LayerYoking {
  const onsets = yokingOnsets(differences, design);
  const { width, wordCount } = differences;
  const scales = lagZeroMedians(differences);
  const unitY = new Float64Array(width).fill(NaN);
  const unitYFromLagOne = new Float64Array(width).fill(NaN);
  const profileSums = [new Float64Array(wordCount), new Float64Array(wordCount)];
  const profile = new Float64Array(wordCount);
  let included = 0;
  for (let u = 0; u < width; u++) {
    if (!(scales[u] > 0 && Number.isFinite(scales[u]))) continue;
    included++;
    [0, 1].forEach((firstLag) => {
      unitBoundaryProfile(differences, u, scales[u], design.sentenceLength, firstLag, profile);
      (firstLag === 0 ? unitY : unitYFromLagOne)[u] = meanOver(profile, onsets);
      for (let k = 0; k < wordCount; k++) profileSums[firstLag][k] += profile[k];
    });
  }
  const [fProfile, fProfileFromLagOne] = profileSums.map((sums) => sums.map((sum) => (included > 0 ? sum / included : NaN)));
  return {
    layer: differences.layer,
    sentenceLength: design.sentenceLength,
    onsets,
    unitY,
    unitYFromLagOne,
    y: quartiles(unitY),
    yFromLagOne: quartiles(unitYFromLagOne),
    fProfile,
    fProfileFromLagOne,
    excludedUnits: width - included,
  };
}
