import { DifferenceAccumulator, type AccumulatorOptions } from './differenceAccumulator.js';
import { bandLength } from './layerDifferences.js';
import { VocabularyKernel, type KeptPrediction } from './vocabularyKernel.js';

/** The read-out accumulator's two quantities, kept as its "layers" (each of width 1). */
export const OUTPUT_WINDOW = 0;
export const PREDICTION_DIVERGENCE = 1;
const READOUT_QUANTITIES = [OUTPUT_WINDOW, PREDICTION_DIVERGENCE] as const;

/** The read-out accumulator's name in partial results and checkpoints (docs/partial-format.md). */
export const READOUT_ACCUMULATOR = 'outputReadout';

/** The read-out of a measured run: per sequence, swap k and lag, Σ_v |Δo_v| and KL, kept like a layer's differences. */
export class ReadoutAccumulator extends DifferenceAccumulator {
  override readonly name: string = READOUT_ACCUMULATOR;
  override readonly valuesPerSwap: string =
    'two quantities (the output\'s Σ over the vocabulary of |Δ log p|, then the prediction divergence KL), each (min(maxLag, wordCount − 1 − k) + 1) float32, lag 0 first';

  constructor(options: Omit<AccumulatorOptions, 'layers' | 'width'>) {
    super({ ...options, layers: READOUT_QUANTITIES, width: 1 });
  }
}

/**
 * The output read-out (docs/method.md §9). For a measured word t, o(t) = log p(t) is the model's log-probability of
 * every vocabulary entry as the next token after t's last token. For a swap at k and t in k .. k + maxLag it keeps,
 * per sequence:
 * - Σ_v |o_v(t; swapped at k) − o_v(t; original)| (the output window's differences, summed over the vocabulary), and
 * - KL(p(t; original) ‖ p(t; swapped at k)) = Σ_v p_v (o_v − o′_v) (the prediction divergence, natural log),
 * computed from the float32 logits in float64 (predictionChange, two rows at a time in the VocabularyKernel). Both go to a ReadoutAccumulator
 * as its quantities OUTPUT_WINDOW and PREDICTION_DIVERGENCE, so windows, fits, bootstrap, shards and checkpoints
 * treat them as two layers of one unit.
 */
export class OutputReadout {
  private readonly predictions = new Map<number, KeptPrediction[]>();
  private readonly zeros: Float32Array;
  /** Made with the first original, whose rows give the vocabulary's size. */
  private kernel: VocabularyKernel | undefined;

  constructor(readonly accumulator: ReadoutAccumulator) {
    this.zeros = new Float32Array(accumulator.wordCount);
  }

  /** The original's predictions after every word (N rows): kept until onSequenceDone. */
  onOriginalOutput(sequenceIndex: number, logits: Float32Array): void {
    const words = this.accumulator.wordCount;
    if (logits.length % words !== 0) throw new Error(`onOriginalOutput: ${logits.length} logits are not ${words} rows`);
    const vocabulary = logits.length / words;
    if (this.kernel && this.kernel.vocabulary !== vocabulary) throw new Error(`onOriginalOutput: ${vocabulary} logits a row, not ${this.kernel.vocabulary}`);
    this.kernel ??= new VocabularyKernel(vocabulary, bandLength(words, this.accumulator.maxLag, 0));
    this.predictions.set(sequenceIndex, this.kernel.keep(logits));
  }

  /** The swapped sequence's predictions after words k .. k + rows − 1: both quantities of the band, added to the accumulator. */
  onSwapOutput(sequenceIndex: number, swapPosition: number, logits: Float32Array): void {
    const originals = this.predictions.get(sequenceIndex), kernel = this.kernel;
    if (!originals || !kernel) throw new Error(`onSwapOutput: no original prediction for sequence ${sequenceIndex}`);
    const { wordCount, maxLag } = this.accumulator;
    const rows = bandLength(wordCount, maxLag, swapPosition);
    if (logits.length < rows * kernel.vocabulary) throw new Error(`onSwapOutput: ${logits.length / kernel.vocabulary} rows of logits, expected ${rows}`);
    const absolute = new Float32Array(rows), divergence = new Float32Array(rows);
    kernel.changes(originals.slice(swapPosition, swapPosition + rows), logits, absolute, divergence);
    this.accumulator.addSwap(sequenceIndex, swapPosition, OUTPUT_WINDOW, this.zeros, absolute);
    this.accumulator.addSwap(sequenceIndex, swapPosition, PREDICTION_DIVERGENCE, this.zeros, divergence);
  }

  onSequenceDone(sequenceIndex: number): void {
    this.kernel?.release(this.predictions.get(sequenceIndex) ?? []);
    this.predictions.delete(sequenceIndex);
    this.accumulator.onSequenceDone(sequenceIndex);
  }
}
