/**
 * The stimuli a run measures on (docs/method.md §1), in memory. On disk this is the iw-stimuli/1 JSON format:
 * {"format": "iw-stimuli/1", "sequences": [{"words": [...], "swaps": [word or null per position], "sentenceStarts": [...]}]}
 */
export interface StimulusSequence {
  words: string[];
  /** One replacement per word position; null where no swap is made at that position. */
  swaps: Array<string | null>;
  /** Word indices where sentences start (yoking stimuli). */
  sentenceStarts?: number[];
}

export interface Stimuli {
  format: 'iw-stimuli/1';
  sequences: StimulusSequence[];
  /** How the stimuli were made (corpus, cleaning steps, swap rule, seed, counts); free-form but JSON. */
  meta?: Record<string, unknown>;
}

/** How a replacement word is chosen (docs/method.md §1; probable: the authors' ProbableWordSwap, see swapRules/probableSwap.ts). */
export type SwapRuleName = 'pos' | 'embedding' | 'random' | 'probable';

/**
 * Where a window sequence may lie: inside one unbroken run (no punctuation or dropped word inside: the paper's
 * demo), inside one sentence, inside one document (crossing sentences), or anywhere in the corpus.
 */
export type WindowBoundary = 'run' | 'sentence' | 'document' | 'corpus';

/** What a swap rule did over all positions, for the report. */
export type SwapSummary = {
  rule: SwapRuleName;
  /** Positions given a replacement. */
  swaps: number;
  /** Share of positions where the rule had no candidate and the random rule chose instead. */
  fallbackShare: number;
  /** Whether replacements were restricted to single tokens (only possible with a tokenizer). */
  singleTokenChecked: boolean;
  /** Share of swaps whose replacement has a different token count from the original; null without a tokenizer. */
  tokenCountChangedShare: number | null;
  /** embedding rule: the band of mean |E[w] − E[w′]| every replacement was drawn from. */
  band?: { low: number; high: number; chosen: 'auto' | 'given' };
  /** probable rule: the fill-mask model that ranked the candidates (as named, and its ONNX file's sha256) and the ranks [low, high) drawn from. */
  probable?: ProbableSwapRecord;
};

/** What the probable rule used, recorded in the stimuli's meta and in the report. */
export type ProbableSwapRecord = {
  model: string;
  sha256: string;
  ranks: [number, number];
};

/** The meta block builders write: everything needed to tell how the stimuli were made. Plain JSON. */
export type StimuliMeta = {
  kind: 'window' | 'yoking';
  corpus: {
    /** The --corpus path as given. */
    path: string;
    files: number;
    format: string;
    detectedFormat: boolean;
    sentences: number;
    cleanedSentences: number;
  };
  cleaning: Record<string, boolean | string>;
  seed: number;
  /** The model whose tokenizer (and embeddings) the swaps were checked against, as the user named it. */
  model?: string;
  /**
   * The weight dtype of that model's file (fp32, fp16, q8, …): embedding swaps were matched on its embeddings,
   * dequantized to float32. Absent in files made by older iw or without a model.
   */
  dtype?: string;
  sequencesRequested: number;
  /** Sequences the corpus allowed (window: non-overlapping windows; yoking: unlimited, drawn with replacement). */
  sequencesAvailable: number | null;
  wordsPerSequence: number;
  /** Window stimuli: where sequences may lie. */
  within?: WindowBoundary;
  /** Yoking stimuli: sentences per sequence, words per sentence, and how many corpus sentences qualified. */
  sentencesPerSequence?: number;
  sentenceWords?: number;
  eligibleSentences?: number;
  swap: SwapSummary;
  /** Things the user should know (fewer sequences than asked, fallbacks). */
  notes: string[];
};
