import type { KeptDifferences } from './keptDifferences.js';
import { bandLength, bandOffset, differencesFromSums, type LayerDifferences } from './layerDifferences.js';

/**
 * A run's kept parts as plain data, so that a worker thread can form D from them: posted to a worker, a band
 * held in a SharedArrayBuffer (as DifferenceAccumulator keeps them) is shared, not copied.
 */
export interface KeptParts {
  readonly layers: readonly number[];
  readonly wordCount: number;
  readonly maxLag: number;
  readonly width: number;
  readonly partCount: number;
  readonly partKind: KeptDifferences['partKind'];
  /** Per layer slot, per part: its summed differences, laid out as LayerDifferences.values; null when it has none. */
  readonly partSums: ReadonlyArray<ReadonlyArray<Float32Array | Float64Array | null>>;
  /** Per layer slot: swap counts, [part × word]. */
  readonly partCounts: readonly Uint32Array[];
}

/** KeptDifferences over plain kept parts (what a worker rebuilds from a posted KeptParts). */
export function keptDifferencesOf(parts: KeptParts): KeptDifferences {
  const { layers, wordCount, maxLag, width, partCount, partKind } = parts;
  return { layers, wordCount, maxLag, width, partCount, partKind, formLayer: (layer, weights, lagLimit) => formLayerFromParts(parts, layer, weights, lagLimit) };
}

/**
 * D of `layer` formed from the parts with weight w_p: D(k, ·) = Σ_p w_p·sum_p(k, ·) / Σ_p w_p·count_p(k) (see
 * KeptDifferences.formLayer); lags above `lagLimit` are left out.
 */
export function formLayerFromParts(parts: KeptParts, layer: number, weights: ArrayLike<number>, lagLimit = parts.maxLag): LayerDifferences {
  const slot = parts.layers.indexOf(layer);
  if (slot < 0) throw new Error(`layer ${layer} is not one of the accumulated layers ${parts.layers.join(', ')}`);
  if (parts.partKind === 'pooled') throw new Error('formLayer: the accumulator kept pooled sums only (keep: "pooled")');
  if (weights.length !== parts.partCount) throw new Error(`formLayer: ${weights.length} weights for ${parts.partCount} parts`);
  if (!(lagLimit >= 0 && lagLimit <= parts.maxLag)) throw new Error(`formLayer: lagLimit ${lagLimit} outside 0..${parts.maxLag}`);
  const sums = new Float64Array(parts.wordCount * (lagLimit + 1) * parts.width);
  const counts = new Float64Array(parts.wordCount);
  for (let part = 0; part < parts.partCount; part++) {
    const band = parts.partSums[slot][part];
    if (weights[part] === 0 || !band) continue;
    addWeightedPart(parts, sums, counts, band, parts.partCounts[slot], part, weights[part], lagLimit);
  }
  return differencesFromSums(layer, parts, lagLimit, sums, counts);
}

/** Adds weight × the part's band (lags 0..lagLimit; consecutive in both layouts, so one flat loop per k). */
function addWeightedPart(
  shape: Pick<KeptParts, 'wordCount' | 'maxLag' | 'width'>,
  sums: Float64Array,
  counts: Float64Array,
  band: Float32Array | Float64Array,
  partCounts: Uint32Array,
  part: number,
  weight: number,
  lagLimit: number,
): void {
  for (let k = 0; k < shape.wordCount; k++) {
    const count = partCounts[part * shape.wordCount + k];
    if (count === 0) continue;
    counts[k] += weight * count;
    const length = bandLength(shape.wordCount, lagLimit, k) * shape.width;
    const from = bandOffset(shape, k, 0);
    const to = k * (lagLimit + 1) * shape.width;
    for (let i = 0; i < length; i++) sums[to + i] += weight * band[from + i];
  }
}
