import { shuffled, type RandomSource } from '../util/random.js';
import type { KeptDifferences } from './keptDifferences.js';
import { addToFloat64, addToFloat64AndFloat32, type RowStarts } from './absoluteDifferences.js';
import { formLayerFromParts, type KeptParts } from './keptParts.js';
import { bandLength, bandOffset, differencesFromSums, type LayerDifferences } from './layerDifferences.js';

/**
 * How sequences are kept apart besides the pooled float64 sums:
 * 'pooled' — not at all (no bootstrap, no halves);
 * 'sequences' — one float32 band per sequence (exact bootstrap over sequences; memory grows with S, see keptBytes);
 * { groups, random } — sequences dealt into `groups` groups by a seeded shuffle, one float64 band per group
 * (a bootstrap over groups of sequences: bounded memory, coarser resampling).
 */
export type KeepSequences = 'pooled' | 'sequences' | { groups: number; random: RandomSource };

export interface AccumulatorOptions {
  /** Model layers the engine hands on, by their number. */
  layers: readonly number[];
  /** Units per layer. */
  width: number;
  /** Words per sequence (N); every sequence of a run has the same. */
  wordCount: number;
  maxLag: number;
  sequenceCount: number;
  keep?: KeepSequences;
}

/** Bytes the accumulator holds for its bands: pooled float64 sums plus the kept per-sequence or per-group bands. */
export function keptBytes(options: AccumulatorOptions): number {
  const band = options.wordCount * (options.maxLag + 1) * options.width;
  const keep = options.keep ?? 'pooled';
  const kept = keep === 'pooled' ? 0 : keep === 'sequences' ? options.sequenceCount * band * 4 : keep.groups * band * 8;
  return options.layers.length * (band * 8 + kept);
}

/**
 * Accumulates |h(t; swapped at k) − h(t; original)| over sequences for t in [k, k + maxLag] (docs/method.md §3).
 * Receives activations as the engine produces them (it satisfies the engine's SwapObserver: onOriginal, onSwap,
 * onSequenceDone), or directly through addSwap. Sums are float64; D is their mean over the sequences swapped at k.
 */
export class DifferenceAccumulator implements KeptDifferences {
  readonly layers: readonly number[];
  readonly wordCount: number;
  readonly maxLag: number;
  readonly width: number;
  readonly sequenceCount: number;
  readonly partCount: number;
  readonly partKind: 'pooled' | 'sequences' | 'groups';
  private readonly slots = new Map<number, number>();
  private readonly bandSize: number;
  private readonly pooledSums: Float64Array[];
  private readonly pooledCounts: Float64Array[];
  /** Per layer slot, [sequence × word]: 1 once that swap was added (catches an engine handing a swap on twice). */
  private readonly swapsSeen: Uint8Array[];
  /** Part of each sequence, or null when only pooled sums are kept. */
  private readonly partOfSequence: Int32Array | null;
  private readonly partSums: Array<Array<Float32Array | Float64Array | undefined>>;
  private readonly partCounts: Uint32Array[];
  private readonly originals = new Map<number, Array<Float32Array | undefined>>();

  constructor(options: AccumulatorOptions) {
    const { layers, width, wordCount, maxLag, sequenceCount } = options;
    if (!(wordCount >= 1 && maxLag >= 0 && width >= 1 && sequenceCount >= 1 && layers.length >= 1)) {
      throw new Error(`DifferenceAccumulator: bad shape ${JSON.stringify({ layers, width, wordCount, maxLag, sequenceCount })}`);
    }
    this.layers = [...layers];
    this.layers.forEach((layer, slot) => this.slots.set(layer, slot));
    this.wordCount = wordCount;
    this.maxLag = maxLag;
    this.width = width;
    this.sequenceCount = sequenceCount;
    this.bandSize = wordCount * (maxLag + 1) * width;
    this.pooledSums = this.layers.map(() => new Float64Array(this.bandSize));
    this.pooledCounts = this.layers.map(() => new Float64Array(wordCount));
    this.swapsSeen = this.layers.map(() => new Uint8Array(sequenceCount * wordCount));
    const keep = options.keep ?? 'pooled';
    this.partOfSequence = assignParts(keep, sequenceCount);
    this.partKind = typeof keep === 'string' ? keep : 'groups';
    this.partCount = keep === 'pooled' ? 0 : keep === 'sequences' ? sequenceCount : keep.groups;
    this.partSums = this.layers.map(() => new Array(this.partOfSequence ? this.partCount : 0).fill(undefined));
    this.partCounts = this.layers.map(() => new Uint32Array(this.partOfSequence ? this.partCount * wordCount : 0));
  }

  /** Engine hook: the original's word activations [N × width] at `layer`, kept (copied) until onSequenceDone. */
  onOriginal(sequenceIndex: number, layer: number, words: Float32Array): void {
    const slot = this.slotOf(layer);
    if (words.length !== this.wordCount * this.width) {
      throw new Error(`onOriginal: sequence ${sequenceIndex} layer ${layer} has ${words.length} values, expected ${this.wordCount} × ${this.width}`);
    }
    let perLayer = this.originals.get(sequenceIndex);
    if (!perLayer) this.originals.set(sequenceIndex, (perLayer = new Array(this.layers.length).fill(undefined)));
    perLayer[slot] = words.slice();
  }

  /** Engine hook: the swapped sequence's word activations for words k .. k + rows − 1 ([rows × width]). */
  onSwap(sequenceIndex: number, swapPosition: number, layer: number, band: Float32Array): void {
    const original = this.originals.get(sequenceIndex)?.[this.slotOf(layer)];
    if (!original) throw new Error(`onSwap: no original activations for sequence ${sequenceIndex} at layer ${layer}`);
    this.addSwap(sequenceIndex, swapPosition, layer, original, band);
  }

  /** Engine hook: the sequence's originals are no longer needed. */
  onSequenceDone(sequenceIndex: number): void {
    this.originals.delete(sequenceIndex);
  }

  /**
   * Adds one swap: `original` is the sequence's word activations [N × width] at `layer`; `swapped` holds the
   * swapped sequence's rows for words k .. k + bandLength − 1 starting at `swappedOffset` (extra rows after the
   * band are ignored). Adds |swapped − original| to the pooled sums and to the sequence's part.
   */
  addSwap(sequenceIndex: number, swapPosition: number, layer: number, original: Float32Array, swapped: Float32Array, swappedOffset = 0): void {
    const slot = this.slotOf(layer);
    const rows = bandLength(this.wordCount, this.maxLag, swapPosition);
    this.checkSwap(slot, sequenceIndex, swapPosition, layer, original, swapped, swappedOffset, rows);
    const part = this.partOfSequence ? this.partOfSequence[sequenceIndex] : -1;
    const at: RowStarts = { original: swapPosition * this.width, swapped: swappedOffset, out: bandOffset(this, swapPosition, 0) };
    const count = rows * this.width;
    if (part < 0) {
      addToFloat64(this.pooledSums[slot], original, swapped, count, at);
    } else {
      const kept = this.partBand(slot, part);
      if (kept instanceof Float32Array) addToFloat64AndFloat32(this.pooledSums[slot], kept, original, swapped, count, at);
      else {
        addToFloat64(this.pooledSums[slot], original, swapped, count, at);
        addToFloat64(kept, original, swapped, count, at);
      }
    }
    this.pooledCounts[slot][swapPosition] += 1;
    if (part >= 0) this.partCounts[slot][part * this.wordCount + swapPosition] += 1;
  }

  /** D of `layer` over all sequences, from the float64 pooled sums. */
  differences(layer: number): LayerDifferences {
    const slot = this.slotOf(layer);
    return differencesFromSums(layer, this, this.maxLag, this.pooledSums[slot], this.pooledCounts[slot].slice());
  }

  /** D of every layer; throws (an engine bug) when layers did not receive the same swaps. */
  allDifferences(): LayerDifferences[] {
    const reference = this.pooledCounts[0];
    this.pooledCounts.forEach((counts, slot) => {
      if (counts.some((count, k) => count !== reference[k])) {
        throw new Error(`layer ${this.layers[slot]} received different swaps from layer ${this.layers[0]}`);
      }
    });
    return this.layers.map((layer) => this.differences(layer));
  }

  /** Which part (resampling unit) each sequence belongs to; null when only pooled sums are kept. */
  partAssignment(): Int32Array | null {
    return this.partOfSequence ? this.partOfSequence.slice() : null;
  }

  formLayer(layer: number, weights: ArrayLike<number>, lagLimit = this.maxLag, firstWord = 0): LayerDifferences {
    this.slotOf(layer);
    return formLayerFromParts(this.keptParts(), layer, weights, lagLimit, firstWord);
  }

  /** The kept parts as plain data (the bands themselves, not copies), for forming D on worker threads. */
  keptParts(): KeptParts {
    const { layers, wordCount, maxLag, width, partCount, partKind } = this;
    const partSums = this.partSums.map((bands) => bands.map((band) => band ?? null));
    return { layers, wordCount, maxLag, width, partCount, partKind, partSums, partCounts: this.partCounts };
  }

  private partBand(slot: number, part: number): Float32Array | Float64Array {
    let band = this.partSums[slot][part];
    if (!band) {
      // shared memory: posting the kept parts to the analysis workers then shares the bands instead of copying them
      band = this.partKind === 'sequences'
        ? new Float32Array(new SharedArrayBuffer(this.bandSize * Float32Array.BYTES_PER_ELEMENT))
        : new Float64Array(new SharedArrayBuffer(this.bandSize * Float64Array.BYTES_PER_ELEMENT));
      this.partSums[slot][part] = band;
    }
    return band;
  }

  private slotOf(layer: number): number {
    const slot = this.slots.get(layer);
    if (slot === undefined) throw new Error(`layer ${layer} is not one of the accumulated layers ${this.layers.join(', ')}`);
    return slot;
  }

  private checkSwap(
    slot: number,
    sequenceIndex: number,
    swapPosition: number,
    layer: number,
    original: Float32Array,
    swapped: Float32Array,
    swappedOffset: number,
    rows: number,
  ): void {
    const where = () => `sequence ${sequenceIndex}, swap at word ${swapPosition}, layer ${layer}`;
    if (!(Number.isInteger(sequenceIndex) && sequenceIndex >= 0 && sequenceIndex < this.sequenceCount)) {
      throw new Error(`addSwap: sequence index ${sequenceIndex} outside 0..${this.sequenceCount - 1}`);
    }
    if (!(Number.isInteger(swapPosition) && swapPosition >= 0 && swapPosition < this.wordCount)) {
      throw new Error(`addSwap: ${where()}: swap position outside 0..${this.wordCount - 1}`);
    }
    if (original.length !== this.wordCount * this.width) {
      throw new Error(`addSwap: ${where()}: original has ${original.length} values, expected ${this.wordCount} × ${this.width}`);
    }
    if (swapped.length - swappedOffset < rows * this.width) {
      throw new Error(`addSwap: ${where()}: swapped band has ${(swapped.length - swappedOffset) / this.width} rows, expected ${rows}`);
    }
    const seen = this.swapsSeen[slot];
    if (seen[sequenceIndex * this.wordCount + swapPosition]) throw new Error(`addSwap: ${where()} was added twice`);
    seen[sequenceIndex * this.wordCount + swapPosition] = 1;
  }
}

/** Deals sequences into parts: each sequence its own part, or groups by a seeded shuffle (round robin). */
function assignParts(keep: KeepSequences, sequenceCount: number): Int32Array | null {
  if (keep === 'pooled') return null;
  const partOf = new Int32Array(sequenceCount);
  if (keep === 'sequences') {
    partOf.forEach((_, s) => (partOf[s] = s));
    return partOf;
  }
  if (!(Number.isInteger(keep.groups) && keep.groups >= 2 && keep.groups <= sequenceCount)) {
    throw new Error(`keep.groups must be a whole number from 2 to the sequence count ${sequenceCount} (got ${keep.groups})`);
  }
  const order = shuffled(keep.random, Array.from({ length: sequenceCount }, (_, s) => s));
  order.forEach((sequence, position) => (partOf[sequence] = position % keep.groups));
  return partOf;
}
