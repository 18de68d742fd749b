import { exponentialsFrom, STEP_POWERS } from './logSumExp.js';
import { divergenceFrom, prediction, predictionChange, predictionReference, type Prediction } from './predictionChange.js';
import { VOCABULARY_KERNEL_BASE64 } from './vocabularyKernelBinary.js';

/** An original's prediction placed in the kernel's memory: its logits at `address`, its scaled probabilities after them. */
export interface PlacedPrediction {
  address: number;
  reference: number;
  logSum: number;
}

/** An original's prediction as the read-out keeps it: placed in the kernel, or in JavaScript when its memory is full. */
export type KeptPrediction = PlacedPrediction | Prediction;

/** Where changes() writes: float32 as the read-out keeps its differences, or float64. */
type Results = Float32Array | Float64Array;

interface KernelExports {
  sums(a: number, b: number, length: number, referenceA: number, referenceB: number, out: number): void;
  sumsKeepingTerms(a: number, b: number, length: number, referenceA: number, referenceB: number, termsA: number, termsB: number, out: number): void;
  changes(sa: number, sb: number, za: number, zb: number, pa: number, pb: number, shiftA: number, shiftB: number, length: number, out: number): void;
}

const PAGE_BYTES = 65536;
/** Where the kernel writes its four results (float64), after its table. */
const OUT = STEP_POWERS.byteLength;
/** Where a swapped band is copied for the kernel to read. */
const BAND = OUT + 32;
/** Slots added to the memory at a time (fewer when that fails). */
const SLOTS_PER_GROWTH = 16;

let compiled: WebAssembly.Module | undefined;

/**
 * The output read-out's passes over the vocabulary in WebAssembly SIMD (vocabularyKernelText.ts): the same numbers
 * to the bit as prediction() and predictionChange() in JavaScript, about three times as fast. It keeps originals'
 * predictions in its own memory, which grows as they arrive and reuses what release() frees; when the memory cannot
 * grow (WebAssembly's 4 GB), a prediction stays in JavaScript and is read there. Rows with a logit outside the
 * kernel's range (IN_RANGE) are read in JavaScript too.
 */
export class VocabularyKernel {
  private readonly memory: WebAssembly.Memory;
  private readonly kernel: KernelExports;
  private readonly logitBytes: number;
  private readonly slotBytes: number;
  private readonly free: number[] = [];
  private end: number;

  /**
   * @param vocabulary entries per prediction
   * @param bandRows the most swapped rows changes() is given at once
   * @param maximumPages a limit on the memory's 64 KiB pages (tests; WebAssembly's own otherwise)
   */
  constructor(readonly vocabulary: number, readonly bandRows: number, maximumPages?: number) {
    this.logitBytes = Math.ceil((vocabulary * 4) / 16) * 16;
    this.slotBytes = this.logitBytes + vocabulary * 8;
    this.end = BAND + bandRows * this.logitBytes;
    const initial = Math.ceil(this.end / PAGE_BYTES);
    this.memory = new WebAssembly.Memory(maximumPages === undefined ? { initial } : { initial, maximum: Math.max(initial, maximumPages) });
    compiled ??= new WebAssembly.Module(Buffer.from(VOCABULARY_KERNEL_BASE64, 'base64'));
    this.kernel = new WebAssembly.Instance(compiled, { kernel: { memory: this.memory } }).exports as unknown as KernelExports;
    new Float64Array(this.memory.buffer, 0, STEP_POWERS.length).set(STEP_POWERS);
  }

  /** Each row of `logits` (rows × vocabulary) as an original's prediction, two at a time. */
  keep(logits: Float32Array): KeptPrediction[] {
    const rows = logits.length / this.vocabulary;
    const kept: KeptPrediction[] = [];
    for (let row = 0; row < rows; row++) kept.push(this.place(this.row(logits, row)));
    const placed = kept.flatMap((p, row) => ('address' in p ? [row] : []));
    for (let i = 0; i < placed.length; i += 2) this.keepPair(kept as PlacedPrediction[], placed[i], placed[Math.min(i + 1, placed.length - 1)]);
    return kept;
  }

  /** Frees the memory of predictions keep() returned. */
  release(predictions: readonly KeptPrediction[]): void {
    for (const p of predictions) if ('address' in p) this.free.push(p.address);
  }

  /**
   * predictionChange() of each swapped row (rows × vocabulary) against its original, written to absolute[row] and
   * divergence[row]. Every original must come from keep().
   */
  changes(originals: readonly KeptPrediction[], swapped: Float32Array, absolute: Results, divergence: Results): void {
    const rows = originals.length;
    if (rows > this.bandRows) throw new Error(`VocabularyKernel.changes: ${rows} rows, at most ${this.bandRows}`);
    for (let row = 0; row < rows; row++) new Float32Array(this.memory.buffer, this.bandRow(row), this.vocabulary).set(this.row(swapped, row));
    const placed: number[] = [];
    originals.forEach((p, row) => {
      if ('address' in p) placed.push(row);
      else [absolute[row], divergence[row]] = predictionChange(p, this.row(swapped, row));
    });
    for (let i = 0; i < placed.length; i += 2) {
      const a = placed[i], b = placed[Math.min(i + 1, placed.length - 1)];
      this.changePair(originals as PlacedPrediction[], swapped, a, b, absolute, divergence);
    }
  }

  private changePair(originals: readonly PlacedPrediction[], swapped: Float32Array, a: number, b: number, absolute: Results, divergence: Results): void {
    const [pa, pb] = [originals[a], originals[b]];
    const [sa, sb] = [this.bandRow(a), this.bandRow(b)];
    this.kernel.sums(sa, sb, this.vocabulary, pa.reference, pb.reference, OUT);
    const [sumA, sumB] = this.results(2);
    this.kernel.changes(sa, sb, pa.address, pb.address, this.termsOf(pa), this.termsOf(pb),
      Math.log(sumA) - pa.logSum, Math.log(sumB) - pb.logSum, this.vocabulary, OUT);
    const [absoluteA, absoluteB, divergenceA, divergenceB] = this.results(4);
    for (const [row, p, sum, abs, div] of [[a, pa, sumA, absoluteA, divergenceA], [b, pb, sumB, absoluteB, divergenceB]] as const) {
      if (sum === Infinity) [absolute[row], divergence[row]] = predictionChange(this.prediction(p), this.row(swapped, row));
      else [absolute[row], divergence[row]] = [abs, divergenceFrom(div, p.logSum)];
    }
  }

  /** Rows a and b of `kept` (both placed: logits and references in place): their log-sums and scaled probabilities. */
  private keepPair(kept: PlacedPrediction[], a: number, b: number): void {
    const [pa, pb] = [kept[a], kept[b]];
    this.kernel.sumsKeepingTerms(pa.address, pb.address, this.vocabulary, pa.reference, pb.reference, this.termsOf(pa), this.termsOf(pb), OUT);
    const [sumA, sumB] = this.results(2);
    for (const [p, sum] of [[pa, sumA], [pb, sumB]] as const) {
      p.logSum = sum === Infinity ? this.recomputed(p) : Math.log(sum);
    }
  }

  /** A prediction the kernel left to JavaScript: its scaled probabilities and log-sum written as prediction() would. */
  private recomputed(p: PlacedPrediction): number {
    const view = this.prediction(p);
    return exponentialsFrom(view.logits, p.reference, view.scaledProbabilities);
  }

  private place(logits: Float32Array): KeptPrediction {
    const address = this.allocate();
    if (address === undefined) return prediction(logits);
    new Float32Array(this.memory.buffer, address, this.vocabulary).set(logits);
    return { address, reference: predictionReference(logits), logSum: Number.NaN };
  }

  private allocate(): number | undefined {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    const needed = this.end + this.slotBytes - this.memory.buffer.byteLength;
    if (needed > 0 && !this.grow(needed)) return undefined;
    const address = this.end;
    this.end += this.slotBytes;
    return address;
  }

  private grow(neededBytes: number): boolean {
    for (const bytes of [neededBytes + (SLOTS_PER_GROWTH - 1) * this.slotBytes, neededBytes]) {
      try {
        this.memory.grow(Math.ceil(bytes / PAGE_BYTES));
        return true;
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
      }
    }
    return false;
  }

  /** A placed prediction as JavaScript reads it (views into the memory, good until it next grows). */
  private prediction(p: PlacedPrediction): Prediction {
    const { buffer } = this.memory;
    return {
      logits: new Float32Array(buffer, p.address, this.vocabulary),
      reference: p.reference,
      logSum: p.logSum,
      scaledProbabilities: new Float64Array(buffer, this.termsOf(p), this.vocabulary),
    };
  }

  private termsOf(p: PlacedPrediction): number {
    return p.address + this.logitBytes;
  }

  private bandRow(row: number): number {
    return BAND + row * this.logitBytes;
  }

  private row(logits: Float32Array, row: number): Float32Array {
    return logits.subarray(row * this.vocabulary, (row + 1) * this.vocabulary);
  }

  private results(count: number): number[] {
    return Array.from(new Float64Array(this.memory.buffer, OUT, count));
  }
}
