/**
 * What an engine hands on: word activations of each original sequence, and of each swapped sequence over
 * the band of words the method reads (the swapped word k and the maxLag words after it).
 * measure/ turns these into differences; the engine knows nothing of differences.
 */
export interface SwapObserver {
  /** Word activations of original sequence `sequenceIndex` at `layer`: row-major [words × width]. Comes before its swaps. */
  onOriginal(sequenceIndex: number, layer: number, words: Float32Array): void;
  /** Word activations of the sequence swapped at `swapPosition`, words swapPosition .. swapPosition + rows − 1: [rows × width]. */
  onSwap(sequenceIndex: number, swapPosition: number, layer: number, band: Float32Array): void;
  /**
   * Bidirectional models only: the swapped sequence's word activations on the other side of the swap, nearest first:
   * row j is word swapPosition − j, for j = 0 .. rows − 1 (at most maxLag + 1 rows, clipped at word 0).
   */
  onFutureSwap?(sequenceIndex: number, swapPosition: number, layer: number, band: Float32Array): void;
  /**
   * With EngineOptions.readout only: the original's logits at each word's last token (the model's next-token
   * prediction after the word), row-major [words × vocabulary]. Comes before its swaps' outputs.
   */
  onOriginalOutput?(sequenceIndex: number, logits: Float32Array): void;
  /** With EngineOptions.readout only: the swapped sequence's logits at the last token of words k .. k + rows − 1: [rows × vocabulary]. */
  onSwapOutput?(sequenceIndex: number, swapPosition: number, logits: Float32Array): void;
  /** All of a sequence's swaps have been handed on. */
  onSequenceDone?(sequenceIndex: number): void;
}

/**
 * naive: the reference method, N + 1 full forward passes per N-word sequence (only the band is read);
 * fast: the original once, then only the band's tokens of each swap on top of the original's past keys/values;
 * truncated: full passes cut after the band (what fast falls back to for models without past inputs);
 * bidirectional: full passes for every swap of a model whose words see later words too, reading both sides of the
 * swapped word (src/engine/bidirectionalEngine.ts).
 */
export type EngineKind = 'naive' | 'fast' | 'truncated' | 'bidirectional';

export interface EngineOptions {
  engine: EngineKind;
  layers: readonly number[];
  maxLag: number;
  /**
   * Hand on the logits at each read word's last token too (onOriginalOutput, onSwapOutput): the model must be
   * loaded with logits 'rows'. Off by default: the logits' vocabulary projection is then pruned from the graph.
   */
  readout?: boolean;
  /** Bytes one batch may use for its inputs, past and outputs; batch sizes follow from it. */
  memoryBudgetBytes?: number;
  /** Called after each block of sequences with the token positions computed so far (for progress). */
  onProgress?: (sequencesDone: number, tokensComputed: number) => void;
  /** Sequences [from, to) to run (a shard's share); all by default. */
  sequences?: readonly [number, number];
  /** Swaps measured before (a resumed run): neither run nor handed on again. */
  isDone?: (sequenceIndex: number, swapPosition: number) => boolean;
  /** After every batch of swaps has been handed on (where a checkpoint may be written). */
  onBatchDone?: () => void | Promise<void>;
}

/**
 * The engine's work. forwardPasses and tokensComputed count every row of the sequences run, as one uninterrupted run
 * computes them, whether or not some were measured before a restart; forwardPassesRun counts the rows this run
 * itself computed. batches and tokensWithPadding are this run's own.
 */
export interface EngineStatistics {
  engine: EngineKind;
  forwardPasses: number;
  batches: number;
  /** Forward passes (rows) this process ran: fewer than forwardPasses when a resumed run skipped finished swaps. */
  forwardPassesRun: number;
  batchesRun: number;
  /** Token positions the model computed, padding excluded. */
  tokensComputed: number;
  /** Token positions including padding. */
  tokensWithPadding: number;
  seconds: number;
}
