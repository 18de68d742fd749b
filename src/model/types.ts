/**
 * The model layer's public types: what the rest of iw may rely on about a language model.
 * (Implementation lives beside this file; see src/model/index.ts.)
 */

/** One readable layer, in the Hugging Face hidden_states convention. */
export interface LayerTap {
  /** 0 = embedding output, i = residual stream after block i, last = final-norm output. */
  layer: number;
  /** Name of the graph tensor that holds it. */
  tensor: string;
  /** Units (hidden size). */
  width: number;
  role: 'embedding' | 'block' | 'final-norm';
}

/** Token ids of words joined by single spaces, and where each word's tokens are. */
export interface TokenizedWords {
  ids: number[];
  /** For word i, its tokens are ids[wordSpans[i][0] .. wordSpans[i][1]) (end exclusive). */
  wordSpans: Array<[number, number]>;
  /** True when ids[0] is a BOS token the tokenizer config adds (belongs to no word). */
  hasBos: boolean;
}

/**
 * How the first word of a text gets its mid-text form (docs/tokenization.md), as a report records it:
 * - `leading space`: iw puts a space before the text. Byte-level BPE (GPT-2, RoBERTa, OPT, Qwen2, Pythia) and
 *   SentencePiece without a dummy prefix (Gemma) tokenize a text's first word in its start-of-text form ("the")
 *   and give the mid-text one (" the", "▁the") after a space;
 * - `tokenizer`: the tokenizer gives it by itself (SentencePiece with a dummy prefix, as Llama's: "▁the" first
 *   too; WordPiece, as BERT's: no word has two forms), and a leading space would add a token of its own;
 * - `none`: neither, or `--no-prefix-space`: the first word keeps its start-of-text form.
 */
export type FirstWordRule = 'leading space' | 'tokenizer' | 'none';

/** The tokenizer as iw needs it: words in, token ids and word spans out. */
export interface WordTokenizer {
  tokenizeWords(words: readonly string[]): TokenizedWords;
  /** Tokens the word takes in running text (after a space; or first, for the first word). */
  wordTokenCount(word: string): number;
  /** Token ids of the word in running text. */
  wordTokenIds(word: string): number[];
  vocabularySize: number;
  /**
   * Whether the text starts with a space so that the first word is encoded as after one (" word"), as the authors
   * encode GPT-2 input: true for byte-level BPE and SentencePiece without a dummy prefix (Gemma) unless
   * --no-prefix-space; false for other tokenizers. Optional for test doubles.
   */
  readonly prefixSpace?: boolean;
  /** How the first word got its mid-text form (src/model/tokenizer/prefixSpace.ts). Optional for test doubles. */
  readonly firstWord?: FirstWordRule;
  /** A token as readable text (decoded), for reports; optional for test doubles. */
  tokenText?(id: number): string;
}

/** The input-embedding matrix, read from the ONNX file's initializers. */
export interface EmbeddingMatrix {
  vocabularySize: number;
  width: number;
  /** Row-major [vocabularySize × width], float32 whatever the file's dtype. */
  values: Float32Array;
}

/** Which ONNX file of a repo to run (transformers.js names; the file suffix follows from it). */
export type Dtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'q4f16' | 'bnb4';

/** How a repo's ONNX export is laid out (see src/model/hub/onnxLayout.ts). */
export type OnnxLayoutKind =
  /** onnx/model.onnx, with or without past key/value inputs. */
  | 'single'
  /** onnx/decoder_model.onnx (no past) + onnx/decoder_with_past_model.onnx. */
  | 'pair'
  /** onnx/decoder_model_merged.onnx: both graphs inside an If on use_cache_branch. */
  | 'merged';

export interface ResolveModelOptions {
  /** A local folder in hub layout or a hub id (a bare "gpt2" means Xenova/gpt2). */
  model: string;
  cacheDir?: string;
  offline?: boolean;
  /** A branch, tag or commit of a hub id (default main); not for a local folder. */
  revision?: string;
  /** Which file to run; when absent, chosen by chooseDtype (src/model/hub/resolve.ts). */
  dtype?: Dtype;
  /** Where the one-line notice goes when the dtype is chosen for the user (default: stderr). */
  notice?: (line: string) => void;
  /** No download progress on stderr (it is also off when stderr is not a terminal). */
  quiet?: boolean;
  /** Only the graph and config.json will be read (iw layers): a local folder need not hold a tokenizer. */
  graphOnly?: boolean;
}

/** A model found on disk (local folder or hub cache), before any session exists. */
export interface ResolvedModel {
  /** What the user gave. */
  id: string;
  /** The hub id it was looked up as, when it is not a local folder. */
  hubId?: string;
  /** A hub id's revision (branch, tag or commit) as asked for. */
  revision?: string;
  /** The commit the hub resolved the revision to, where it said so (X-Repo-Commit). */
  commit?: string;
  /** The folder holding config.json, tokenizer files and onnx/. */
  localPath: string;
  /** Parsed config.json. */
  config: Record<string, unknown>;
  /** config.model_type, e.g. 'gpt2', 'llama'. */
  architecture: string;
  /** Longest input in tokens the model takes (position table / config). */
  contextLength: number;
  dtype: Dtype;
  layout: OnnxLayoutKind;
  /** The file that runs a full pass (no past): model.onnx, decoder_model.onnx or decoder_model_merged.onnx. */
  onnxPath: string;
  /** decoder_with_past_model.onnx of the pair layout; absent otherwise. */
  withPastPath?: string;
  /** sha256 (hex) of onnxPath, computed on first call and remembered. */
  sha256(): Promise<string>;
}

/**
 * Which logits a loaded model can return: none (the vocabulary projection is pruned from the graph), every token's
 * (ForwardRequest.wantLogits), or those of the tokens each pass names (ForwardRequest.logitRows; the projection then
 * runs on those tokens alone where the graph allows it, docs/performance.md).
 */
export type LogitsKept = 'none' | 'all' | 'rows';

/** Where ONNX Runtime runs the model: its CPU execution provider, or CUDA's (falling back to CPU for what it lacks). */
export type Device = 'cpu' | 'cuda';

export interface LoadModelOptions extends ResolveModelOptions {
  /** ONNX Runtime intra-op threads (default: os.availableParallelism()). */
  threads?: number;
  /** Where ONNX Runtime runs (default cpu). */
  device?: Device;
  /** Which logits the model returns (default none: they cost time and memory). */
  logits?: LogitsKept;
  /** Give byte-level BPE tokenizers a leading space, as the authors do (default true; see WordTokenizer.prefixSpace). */
  prefixSpace?: boolean;
  /** Run a random-weight twin of the model instead (the untrained control, docs/method.md §7), drawn from this seed. */
  untrained?: { seed: number };
  /** Graph tensors to read as layers 0, 1, … instead of those found by structure (--taps). */
  taps?: readonly string[];
}

/** Keys and values of earlier positions, per block [batchSize, kvHeads, length, headDim], row-major. */
export interface PastKeyValues {
  batchSize: number;
  /** Positions held (P). */
  length: number;
  keys: Float32Array[];
  values: Float32Array[];
}

/** One forward pass over a batch of right-padded rows. */
export interface ForwardInput {
  batchSize: number;
  /** New tokens per row (S), padding included. */
  sequenceLength: number;
  /** [batchSize, S] token ids, right padded. */
  inputIds: BigInt64Array;
  /** [batchSize, P + S]: 1 = attend, 0 = masked (padding, or past positions to ignore). */
  attentionMask: BigInt64Array;
  /** [batchSize, S]; when absent and the model takes them: cumsum(mask) − 1. */
  positionIds?: BigInt64Array;
  past?: PastKeyValues;
}

export interface ForwardRequest {
  /** Layers to return (HF hidden_states indices); only these are copied out. */
  layers: readonly number[];
  /** Return the keys/values of past + new positions. */
  wantPresent?: boolean;
  /** Return every token's logits [batchSize, S, vocabulary] (needs logits 'all' at load). */
  wantLogits?: boolean;
  /**
   * Return the logits of these tokens only, as flat positions row × S + position, [logitRows.length, vocabulary]
   * (needs logits 'rows' at load).
   */
  logitRows?: Int32Array;
}

export interface ForwardOutput {
  /** layer → [batchSize, S, width], float32. */
  taps: Map<number, Float32Array>;
  /** Keys/values of length P + S. */
  present?: PastKeyValues;
  /** Every token's logits [batchSize × S × vocabulary] (wantLogits), or the chosen ones' [logitRows.length × vocabulary]. */
  logits?: Float32Array;
}

/**
 * Why the fast engine's batches would not compute what the model computes on the text alone. The fast engine
 * stacks each row's past keys/values into a batch past padded to a common length (the unused slots masked), and
 * pads each row's new tokens after them; that is exact for attention that honours the mask, and not for:
 * - group-query-attention: ONNX Runtime's GroupQueryAttention reads each row's length from the mask's sum and puts
 *   the new tokens right after it, so padded new tokens shift every key and position (measured: 0.39 on
 *   genai-llama-gqa-fp32's last layer);
 * - sliding-window: attention limited to the last W positions counts the masked empty slots as positions (Gemma 2:
 *   the default and naive engines' windows differed by up to 0.27);
 * - position-mixing: an op whose result at one position depends on all positions and rows (DynamicQuantizeLinear's
 *   one scale per tensor): then even a full pass depends on what shares its batch and on its padding, and on the
 *   words after a position, so only a pass of the whole sequence alone is the model's own computation.
 */
export type InexactPastKind = 'group-query-attention' | 'sliding-window' | 'position-mixing';

export interface InexactPastReason {
  kind: InexactPastKind;
  /** What was found, for the warning and the report: the op (and how many) or the config key. */
  detail: string;
}

/** Shape of the keys/values a model keeps per block. */
export interface PastLayout {
  blocks: number;
  kvHeads: number;
  headDim: number;
}

/** A language model whose every layer can be read: causal, or bidirectional (an encoder such as BERT). */
export interface LanguageModel {
  resolved: ResolvedModel;
  /** Every layer found, in order: 0 = embedding output … last = final-norm output (post-LN encoders: last block's output). */
  taps: LayerTap[];
  tokenizer: WordTokenizer;
  /** Whether a token's layers depend on later tokens too (src/model/attentionDirection.ts): then swaps are measured on both sides. */
  bidirectional: boolean;
  /** Whether forward accepts a past (else every pass starts from position 0). */
  acceptsPast: boolean;
  /** Whether the graph takes position_ids (else positions are 0.. counted inside, holes included). */
  acceptsPositionIds: boolean;
  pastLayout: PastLayout;
  /**
   * Why batches of stacked, masked pasts (the fast engine) would not compute what the model computes on each text
   * alone (src/model/pastExactness.ts), found when the model is loaded; empty or absent when nothing does.
   */
  inexactPast?: readonly InexactPastReason[];
  forward(input: ForwardInput, request: ForwardRequest): Promise<ForwardOutput>;
  dispose(): Promise<void>;
}

/** A context for a fill-mask model: words with the one at `position` masked. */
export interface MaskedContext {
  words: readonly string[];
  position: number;
}

/** A fill-mask model as the probable swap rule needs it (src/model/fillMask.ts). */
export interface WordPredictor {
  /** The model as the user named it. */
  readonly id: string;
  /** sha256 of the model's ONNX file. */
  sha256(): Promise<string>;
  /**
   * For each context, the model's whole-word predictions at the mask, best first (ties: lower token id first), of
   * those `accept` keeps, until `count` are found (fewer when the vocabulary runs out). Batched.
   */
  predict(contexts: readonly MaskedContext[], accept: (word: string, context: number) => boolean, count: number): Promise<string[][]>;
}
