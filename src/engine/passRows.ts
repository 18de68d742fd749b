import { UserError } from '../util/errors.js';
import type { TokenizedWords, WordTokenizer } from '../model/types.js';
import type { EngineKind } from './types.js';

/**
 * One row of a forward-pass batch: the tokens fed, how much of the original's past they sit on,
 * and which words' activations are read from the result.
 */
export interface PassRow {
  sequenceIndex: number;
  /** The swapped word's index, or ORIGINAL for the unswapped sequence. */
  swapPosition: number;
  inputIds: number[];
  /** Tokens of the original sequence taken from its past keys/values (fast engine); 0 for full passes. */
  pastLength: number;
  /** Token spans [start, end) of the words read, numbered from the sequence's first token (BOS included). */
  readSpans: Array<[number, number]>;
}

export const ORIGINAL = -1;

export function originalRow(sequenceIndex: number, tokens: TokenizedWords): PassRow {
  return { sequenceIndex, swapPosition: ORIGINAL, inputIds: tokens.ids, pastLength: 0, readSpans: tokens.wordSpans };
}

/**
 * The row that measures a swap at word k: words k .. k + maxLag (clipped at the end) are read.
 * naive feeds the whole swapped sequence, truncated stops after the band, fast feeds only the band
 * on top of the original's past cut at word k's first token (identical there, since tokenization is per word).
 */
export function swapRow(
  engine: EngineKind,
  sequenceIndex: number,
  original: TokenizedWords,
  swapped: TokenizedWords,
  swapPosition: number,
  maxLag: number,
): PassRow {
  const lastWord = Math.min(swapPosition + maxLag, swapped.wordSpans.length - 1);
  const readSpans = swapped.wordSpans.slice(swapPosition, lastWord + 1);
  const bandEnd = readSpans[readSpans.length - 1][1];
  if (engine === 'naive') return { sequenceIndex, swapPosition, inputIds: swapped.ids, pastLength: 0, readSpans };
  if (engine === 'truncated') {
    return { sequenceIndex, swapPosition, inputIds: swapped.ids.slice(0, bandEnd), pastLength: 0, readSpans };
  }
  const pastLength = swapped.wordSpans[swapPosition][0];
  assertSamePrefix(original, swapped, pastLength);
  return { sequenceIndex, swapPosition, inputIds: swapped.ids.slice(pastLength, bandEnd), pastLength, readSpans };
}

function assertSamePrefix(original: TokenizedWords, swapped: TokenizedWords, length: number): void {
  for (let i = 0; i < length; i++) {
    if (original.ids[i] !== swapped.ids[i]) {
      throw new Error(`tokenization is not word by word: token ${i} differs before the swapped word`);
    }
  }
}

/** Tokenizes a sequence, refusing one longer than the model's context with both lengths. */
export function tokenizeForModel(
  tokenizer: WordTokenizer,
  words: readonly string[],
  contextLength: number,
  describe: () => string,
): TokenizedWords {
  const tokens = tokenizer.tokenizeWords(words);
  if (tokens.ids.length > contextLength) {
    throw new UserError(
      `${describe()} is ${tokens.ids.length} tokens long, longer than the model's context of ${contextLength} tokens; use fewer words per sequence (--words)`,
    );
  }
  return tokens;
}

/** The sequence's words with word k replaced. */
export function swappedWords(words: readonly string[], swapPosition: number, replacement: string): string[] {
  const copy = words.slice();
  copy[swapPosition] = replacement;
  return copy;
}
