import { shuffled, type RandomSource } from '../util/index.js';
import type { KeptDifferences } from './keptDifferences.js';
import { formLayerFromParts, LayerScratch, type KeptParts } from './keptParts.js';
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
  /** Keep a journal of every swap measured until takeJournal() (for checkpoints and partial results). */
  journal?: boolean;
}

/** One measured swap as stored in partial results and checkpoints: sequence s swapped at word k, its values. */
export interface SwapEntry {
  sequence: number;
  swapPosition: number;
  /** Per layer in order, the bandLength(k) × width differences of the swap (float32, as kept). */
  values: Float32Array;
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
 * onSequenceDone), or directly through addSwap, or as stored entries (addEntry: a partial result or checkpoint).
 *
 * Each swap's differences are kept as float32 in its sequence's band, and the float64 pooled (and group) sums add
 * those bands in sequence order, whatever order the swaps arrived in. So the sums depend only on which sequences
 * were measured, never on how the run was split into shards, batched, or restarted: a merge of partial results
 * reproduces one machine's numbers bit for bit. D is the pooled sum's mean over the sequences swapped at k.
 */
export class DifferenceAccumulator implements KeptDifferences {
  /** Its name in partial results (docs/partial-format.md): the band of lags after the swapped word. */
  readonly name: string = 'lagBand';
  /** What one stored swap at word k holds, in this order (docs/partial-format.md). */
  readonly valuesPerSwap: string = 'for each layer in order: (min(maxLag, wordCount − 1 − k) + 1) × width float32, lag-major (lag 0 first, units within a lag)';
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
  /** Per sequence, its float32 band per layer slot: until folded into the sums (kept for good with keep 'sequences'). */
  private readonly sequenceBands = new Map<number, Float32Array[]>();
  /** Per sequence: 1 once its sums were folded in (in sequence order). */
  private readonly folded: Uint8Array;
  /** Sequences known complete (onSequenceDone), not yet folded because an earlier one is still open. */
  private readonly done: Uint8Array;
  private nextToFold = 0;
  /** Part of each sequence, or null when only pooled sums are kept. */
  private readonly partOfSequence: Int32Array | null;
  /** Float64 sums of a group (keep groups); for keep 'sequences' the parts are the sequence bands themselves. */
  private readonly groupSums: Float64Array[][];
  private readonly originals = new Map<number, Array<Float32Array | undefined>>();
  /** useLayer's reused buffer. */
  private readonly scratch = new LayerScratch();
  /**
   * Swaps measured since the last takeJournal, in order. An entry's values are copied out of its sequence's band
   * only when the journal is taken, or when the band is about to be dropped (fold): with sequences kept, a run
   * that never writes its checkpoint copies nothing (the copies were as large as the bands, 348 MB at 12 × 150 words).
   */
  private journal: JournalEntry[] | null;
  /** The journal's entries still without values, by sequence: a fold copies its own sequence's, not scanning the journal. */
  private unread = new Map<number, JournalEntry[]>();

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
    this.folded = new Uint8Array(sequenceCount);
    this.done = new Uint8Array(sequenceCount);
    const keep = options.keep ?? 'pooled';
    this.partOfSequence = assignParts(keep, sequenceCount);
    this.partKind = typeof keep === 'string' ? keep : 'groups';
    this.partCount = keep === 'pooled' ? 0 : keep === 'sequences' ? sequenceCount : keep.groups;
    this.groupSums = this.layers.map(() => (this.partKind === 'groups' ? Array.from({ length: this.partCount }, () => new Float64Array(this.bandSize)) : []));
    this.journal = options.journal ? [] : null;
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

  /**
   * Engine hook: every swap of the sequence has been handed on. Its originals are dropped, and complete sequences
   * are folded into the sums in sequence order (a sequence waits for every earlier one; a run of part of the
   * sequences, such as a shard, marks the others done without swaps).
   */
  onSequenceDone(sequenceIndex: number): void {
    this.originals.delete(sequenceIndex);
    this.done[sequenceIndex] = 1;
    while (this.nextToFold < this.sequenceCount && this.done[this.nextToFold]) {
      this.fold(this.nextToFold);
      this.nextToFold++;
    }
  }

  /**
   * Adds one swap: `original` is the sequence's word activations [N × width] at `layer`; `swapped` holds the
   * swapped sequence's rows for words k .. k + bandLength − 1 starting at `swappedOffset` (extra rows after the
   * band are ignored). Keeps |swapped − original| (as float32) in the sequence's band.
   */
  addSwap(sequenceIndex: number, swapPosition: number, layer: number, original: Float32Array, swapped: Float32Array, swappedOffset = 0): void {
    const slot = this.slotOf(layer);
    const rows = bandLength(this.wordCount, this.maxLag, swapPosition);
    this.checkSwap(slot, sequenceIndex, swapPosition, layer, original, swapped, swappedOffset, rows);
    const band = this.bandOf(sequenceIndex)[slot];
    const out = bandOffset(this, swapPosition, 0);
    const from = swappedOffset, base = swapPosition * this.width;
    const count = rows * this.width;
    for (let i = 0; i < count; i++) band[out + i] = Math.abs(swapped[from + i] - original[base + i]);
    if (this.journal && this.hasSwap(sequenceIndex, swapPosition)) {
      const entry: JournalEntry = { sequence: sequenceIndex, swapPosition, values: null };
      this.journal.push(entry);
      const unread = this.unread.get(sequenceIndex);
      if (unread) unread.push(entry);
      else this.unread.set(sequenceIndex, [entry]);
    }
  }

  /** Floats one swap at k holds over every layer: bandLength(k) × width per layer. */
  entryLength(swapPosition: number): number {
    return this.layers.length * bandLength(this.wordCount, this.maxLag, swapPosition) * this.width;
  }

  /** Adds a swap read back from a partial result or checkpoint (values as entryOf gives them). */
  addEntry(entry: SwapEntry): void {
    const { sequence, swapPosition, values } = entry;
    if (!(Number.isInteger(sequence) && sequence >= 0 && sequence < this.sequenceCount && swapPosition >= 0 && swapPosition < this.wordCount)) {
      throw new Error(`addEntry: swap (${sequence}, ${swapPosition}) outside ${this.sequenceCount} sequences of ${this.wordCount} words`);
    }
    if (values.length !== this.entryLength(swapPosition)) throw new Error(`addEntry: ${values.length} values for a swap at ${swapPosition}, expected ${this.entryLength(swapPosition)}`);
    if (this.folded[sequence]) throw new Error(`addEntry: sequence ${sequence} was already complete`);
    const bands = this.bandOf(sequence);
    const length = bandLength(this.wordCount, this.maxLag, swapPosition) * this.width;
    const out = bandOffset(this, swapPosition, 0);
    this.layers.forEach((layer, slot) => {
      const seen = this.swapsSeen[slot];
      if (seen[sequence * this.wordCount + swapPosition]) throw new Error(`addEntry: sequence ${sequence}, swap at word ${swapPosition}, layer ${layer} was added twice`);
      seen[sequence * this.wordCount + swapPosition] = 1;
      bands[slot].set(values.subarray(slot * length, (slot + 1) * length), out);
    });
  }

  /** Whether the swap of sequence s at word k has been added (in every layer). */
  hasSwap(sequence: number, swapPosition: number): boolean {
    const index = sequence * this.wordCount + swapPosition;
    return this.swapsSeen.every((seen) => seen[index] === 1);
  }

  /** Swaps added since the last call (with journal on), in the order they came. */
  takeJournal(): SwapEntry[] {
    if (!this.journal) throw new Error('takeJournal: the accumulator keeps no journal (journal: true)');
    const entries = this.journal.map((entry) => ({ ...entry, values: entry.values ?? this.valuesOf(entry.sequence, entry.swapPosition) }));
    this.journal = [];
    this.unread.clear();
    return entries;
  }

  /** Swaps waiting in the journal. */
  journalLength(): number {
    return this.journal?.length ?? 0;
  }

  /** D of `layer` over all sequences, from the float64 pooled sums. */
  differences(layer: number): LayerDifferences {
    const slot = this.slotOf(layer);
    this.foldRemaining();
    return differencesFromSums(layer, this, this.maxLag, this.pooledSums[slot], this.pooledCounts[slot].slice());
  }

  formLayer(layer: number, weights: ArrayLike<number>, lagLimit = this.maxLag, firstWord = 0): LayerDifferences {
    this.slotOf(layer);
    return formLayerFromParts(this.keptParts(), layer, weights, lagLimit, firstWord);
  }

  useLayer<T>(layer: number, weights: ArrayLike<number>, use: (differences: LayerDifferences) => T, lagLimit = this.maxLag, firstWord = 0): T {
    this.slotOf(layer);
    return this.scratch.useLayer(this.keptParts(), layer, weights, use, lagLimit, firstWord);
  }

  /**
   * The kept parts as plain data (the bands themselves, not copies), for forming D here or on worker threads;
   * every sequence is folded first, in sequence order, so group sums are complete.
   */
  keptParts(): KeptParts {
    this.foldRemaining();
    const { layers, wordCount, maxLag, width, partCount, partKind } = this;
    const partSums = layers.map((_, slot) => Array.from({ length: this.partOfSequence ? partCount : 0 }, (_, part) =>
      (partKind === 'groups' ? this.groupSums[slot][part] : this.sequenceBands.get(part)?.[slot]) ?? null));
    const partCounts = layers.map((_, slot) => this.partCountsOf(slot));
    return { layers, wordCount, maxLag, width, partCount, partKind, partSums, partCounts };
  }

  /** Swaps per (part, k) of a layer slot, from the swaps seen. */
  private partCountsOf(slot: number): Uint32Array {
    const counts = new Uint32Array(this.partCount * this.wordCount);
    const seen = this.swapsSeen[slot], partOf = this.partOfSequence;
    if (!partOf) return counts;
    for (let s = 0; s < this.sequenceCount; s++) {
      const part = partOf[s];
      for (let k = 0; k < this.wordCount; k++) if (seen[s * this.wordCount + k]) counts[part * this.wordCount + k] += 1;
    }
    return counts;
  }

  /** Folds every sequence not yet folded, in sequence order (when the sums are read). */
  private foldRemaining(): void {
    for (let s = 0; s < this.sequenceCount; s++) if (!this.folded[s]) this.fold(s);
    this.nextToFold = this.sequenceCount;
  }

  /** Adds sequence s's bands to the pooled (and its group's) sums; drops them unless sequences are kept. */
  private fold(s: number): void {
    if (this.folded[s]) return;
    this.folded[s] = 1;
    const bands = this.sequenceBands.get(s);
    if (!bands) return;
    bands.forEach((band, slot) => {
      const pooled = this.pooledSums[slot];
      for (let i = 0; i < this.bandSize; i++) pooled[i] += band[i];
      const counts = this.pooledCounts[slot], seen = this.swapsSeen[slot];
      for (let k = 0; k < this.wordCount; k++) counts[k] += seen[s * this.wordCount + k];
      if (this.partKind === 'groups' && this.partOfSequence) {
        const group = this.groupSums[slot][this.partOfSequence[s]];
        for (let i = 0; i < this.bandSize; i++) group[i] += band[i];
      }
    });
    if (this.partKind !== 'sequences') {
      // the journal's entries of s read their values from these bands: copy them before the bands go
      for (const entry of this.unread.get(s) ?? []) entry.values = this.valuesOf(s, entry.swapPosition);
      this.unread.delete(s);
      this.sequenceBands.delete(s);
    }
  }

  private bandOf(sequence: number): Float32Array[] {
    let bands = this.sequenceBands.get(sequence);
    if (!bands) {
      if (this.folded[sequence]) throw new Error(`sequence ${sequence} got a swap after it was complete`);
      // Shared memory: posting the kept parts to the analysis workers then shares the bands instead of copying them.
      // One buffer for all layers: a large mapping can be given huge pages (src/cli/hugePages.ts), one per layer
      // mostly could not (3 MB at 150 words, rarely holding a whole aligned 2 MiB page).
      const memory = new SharedArrayBuffer(this.layers.length * this.bandSize * Float32Array.BYTES_PER_ELEMENT);
      bands = this.layers.map((_, slot) => new Float32Array(memory, slot * this.bandSize * Float32Array.BYTES_PER_ELEMENT, this.bandSize));
      this.sequenceBands.set(sequence, bands);
    }
    return bands;
  }

  /** The stored form of one swap: every layer's band rows of sequence s at k, one after another. */
  private valuesOf(sequence: number, swapPosition: number): Float32Array {
    const bands = this.sequenceBands.get(sequence);
    if (!bands) throw new Error(`valuesOf: sequence ${sequence} holds no band`);
    const length = bandLength(this.wordCount, this.maxLag, swapPosition) * this.width;
    const from = bandOffset(this, swapPosition, 0);
    const values = new Float32Array(length * this.layers.length);
    bands.forEach((band, slot) => values.set(band.subarray(from, from + length), slot * length));
    return values;
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

/** A swap in the journal: its values are copied out of the sequence's band when needed (see journal). */
interface JournalEntry {
  sequence: number;
  swapPosition: number;
  values: Float32Array | null;
}
