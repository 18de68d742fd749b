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

/** The tokenizer as iw needs it: words in, token ids and word spans out. */
export interface WordTokenizer {
  tokenizeWords(words: readonly string[]): TokenizedWords;
  /** Tokens the word takes in running text (after a space; or first, for the first word). */
  wordTokenCount(word: string): number;
  /** Token ids of the word in running text. */
  wordTokenIds(word: string): number[];
  vocabularySize: number;
}

/** The input-embedding matrix, read from the ONNX file's initializers. */
export interface EmbeddingMatrix {
  vocabularySize: number;
  width: number;
  /** Row-major [vocabularySize × width], float32 whatever the file's dtype. */
  values: Float32Array;
}

/** Per-word activations of one sequence at one layer: row-major [words × width], mean over each word's tokens. */
export interface WordLayerActivations {
  layer: number;
  width: number;
  values: Float32Array;
}
