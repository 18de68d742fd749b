import { checkWithinContext } from '../model/index.js';
import type { TokenizedWords, WordTokenizer } from '../model/index.js';
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
  return fitsContext(tokenizer.tokenizeWords(words), contextLength, describe);
}

/** The tokens, refused (with both lengths) when they are longer than the model's context. */
export function fitsContext(tokens: TokenizedWords, contextLength: number, describe: () => string): TokenizedWords {
  if (tokens.ids.length > contextLength) { // checked here first so that describe() runs only for a refusal
    checkWithinContext(tokens.ids.length, contextLength, describe(), 'the model', 'use fewer words per sequence (--words)');
  }
  return tokens;
}

/**
 * The tokens of the sequence with word k replaced, spliced from the original's tokens: the replacement's own
 * tokens (its first-word form at k = 0, its after-a-space form elsewhere) between the original's tokens before
 * and after word k. The word tokenizer guarantees per-word tokenization (it checks every original sequence
 * against tokenizing the joined text), so this equals tokenizing the swapped words, without re-tokenizing a
 * whole sequence for each of its N swaps.
 */
export function splicedSwap(tokenizer: WordTokenizer, original: TokenizedWords, swapPosition: number, replacement: string): TokenizedWords {
  const [start, end] = original.wordSpans[swapPosition];
  const replacementIds = swapPosition === 0 ? firstWordIds(tokenizer, replacement) : tokenizer.wordTokenIds(replacement);
  const shift = replacementIds.length - (end - start);
  const ids = [...original.ids.slice(0, start), ...replacementIds, ...original.ids.slice(end)];
  const wordSpans = original.wordSpans.map(([from, to], w): [number, number] =>
    w < swapPosition ? [from, to] : w === swapPosition ? [start, start + replacementIds.length] : [from + shift, to + shift]);
  return { ids, wordSpans, hasBos: original.hasBos };
}

function firstWordIds(tokenizer: WordTokenizer, word: string): number[] {
  const alone = tokenizer.tokenizeWords([word]);
  const [start, end] = alone.wordSpans[0];
  return alone.ids.slice(start, end);
}
