import type { KeptDifferences } from './keptDifferences.js';
import { bandLength, bandOffset, type LayerDifferences } from './layerDifferences.js';

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
  const scratch = new LayerScratch();
  return {
    layers, wordCount, maxLag, width, partCount, partKind,
    formLayer: (layer, weights, lagLimit, firstWord) => formLayerFromParts(parts, layer, weights, lagLimit, firstWord),
    useLayer: (layer, weights, use, lagLimit, firstWord) => scratch.useLayer(parts, layer, weights, use, lagLimit, firstWord),
  };
}

/**
 * The one reusable buffer behind KeptDifferences.useLayer. A call made while the buffer is in use (from inside
 * `use`) forms its D in a new array instead, so nesting is safe.
 */
export class LayerScratch {
  private buffer = new Float64Array(0);
  private busy = false;

  /** formLayerFromParts into the buffer (grown when too short), handed to `use`. */
  useLayer<T>(
    parts: KeptParts, layer: number, weights: ArrayLike<number>, use: (differences: LayerDifferences) => T, lagLimit = parts.maxLag, firstWord = 0,
  ): T {
    if (this.busy) return use(formLayerFromParts(parts, layer, weights, lagLimit, firstWord));
    const length = parts.wordCount * (lagLimit + 1) * parts.width;
    if (this.buffer.length < length) this.buffer = new Float64Array(length);
    this.busy = true;
    try {
      return use(formLayerFromParts(parts, layer, weights, lagLimit, firstWord, this.buffer));
    } finally {
      this.busy = false;
    }
  }
}

/**
 * D of `layer` formed from the parts with weight w_p: D(k, ·) = Σ_p w_p·sum_p(k, ·) / Σ_p w_p·count_p(k) (see
 * KeptDifferences.formLayer); lags above `lagLimit` are left out, entries before word `firstWord` not formed.
 */
export function formLayerFromParts(
  parts: KeptParts, layer: number, weights: ArrayLike<number>, lagLimit = parts.maxLag, firstWord = 0, into?: Float64Array,
): LayerDifferences {
  const slot = parts.layers.indexOf(layer);
  if (slot < 0) throw new Error(`layer ${layer} is not one of the accumulated layers ${parts.layers.join(', ')}`);
  if (parts.partKind === 'pooled') throw new Error('formLayer: the accumulator kept pooled sums only (keep: "pooled")');
  if (weights.length !== parts.partCount) throw new Error(`formLayer: ${weights.length} weights for ${parts.partCount} parts`);
  if (!(lagLimit >= 0 && lagLimit <= parts.maxLag)) throw new Error(`formLayer: lagLimit ${lagLimit} outside 0..${parts.maxLag}`);
  const shape = { wordCount: parts.wordCount, maxLag: lagLimit, width: parts.width, firstWord };
  const length = parts.wordCount * (lagLimit + 1) * parts.width;
  // `into` (useLayer's reused buffer) when it is long enough: zeroed, it starts where a fresh array would
  const sums = into && into.length >= length ? into.subarray(0, length).fill(0) : new Float64Array(length);
  const counts = new Float64Array(parts.wordCount);
  for (let part = 0; part < parts.partCount; part++) {
    const band = parts.partSums[slot][part];
    if (weights[part] === 0 || !band) continue;
    addWeightedPart(parts.maxLag, shape, sums, counts, band, parts.partCounts[slot], part, weights[part]);
  }
  divideInPlace(shape, sums, counts);
  return { layer, wordCount: parts.wordCount, maxLag: lagLimit, width: parts.width, values: sums, swapCounts: counts };
}

interface FormedShape {
  wordCount: number;
  /** The formed layer's largest lag (its lagLimit). */
  maxLag: number;
  width: number;
  firstWord: number;
}

/** Lags of row k that are formed: from max(0, firstWord − k) up to the band's end. */
function formedLags(shape: FormedShape, k: number): [number, number] {
  return [Math.max(0, shape.firstWord - k), bandLength(shape.wordCount, shape.maxLag, k)];
}

/** Adds weight × the part's band (the formed lags of each k; consecutive in both layouts, so one flat loop per k). */
function addWeightedPart(
  keptMaxLag: number,
  shape: FormedShape,
  sums: Float64Array,
  counts: Float64Array,
  band: Float32Array | Float64Array,
  partCounts: Uint32Array,
  part: number,
  weight: number,
): void {
  const { wordCount, width } = shape;
  for (let k = 0; k < wordCount; k++) {
    const count = partCounts[part * wordCount + k];
    if (count === 0) continue;
    counts[k] += weight * count;
    const [firstLag, endLag] = formedLags(shape, k);
    if (firstLag >= endLag) continue;
    const from = bandOffset({ maxLag: keptMaxLag, width }, k, firstLag);
    const to = bandOffset(shape, k, firstLag);
    const length = (endLag - firstLag) * width;
    for (let i = 0; i < length; i++) sums[to + i] += weight * band[from + i];
  }
}

/** Sums → means, in place (as differencesFromSums, without a second array): NaN where nothing was formed. */
function divideInPlace(shape: FormedShape, sums: Float64Array, counts: Float64Array): void {
  const { wordCount, maxLag, width } = shape;
  for (let k = 0; k < wordCount; k++) {
    const [firstLag, endLag] = formedLags(shape, k);
    for (let lag = 0; lag <= maxLag; lag++) {
      const offset = bandOffset(shape, k, lag);
      const defined = lag >= firstLag && lag < endLag && counts[k] > 0;
      for (let u = 0; u < width; u++) sums[offset + u] = defined ? sums[offset + u] / counts[k] : NaN;
    }
  }
}
