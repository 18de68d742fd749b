import { AutoTokenizer, type PreTrainedTokenizer } from '@huggingface/transformers';
import { UserError } from '../../util/index.js';
import { firstWordRule } from './prefixSpace.js';
import type { FirstWordRule, ResolvedModel, TokenizedWords, WordTokenizer } from '../types.js';

export interface WordTokenizerOptions {
  /**
   * Encode the first word in its mid-text form, as the authors do with GPT-2's add_prefix_space=True: by a
   * leading space where the tokenizer needs one (see prefixSpace.ts). Default true.
   */
  prefixSpace?: boolean;
}

/**
 * Words → token ids with each word's span, by the model's own tokenizer (transformers.js, from the model's
 * tokenizer.json). The model input is the words joined by single spaces — after one leading space when the
 * prefix-space rule applies — with the tokenizer's leading special tokens (BOS) only where its configuration
 * adds them.
 *
 * Stimuli ask about thousands of words, so each word is tokenized once, in its two forms — first in the text,
 * and after a space — and a sequence is the concatenation of its words' cached forms. That holds when no
 * token spans a space (true of byte-level BPE and of SentencePiece-style BPE, whose pieces start at a space);
 * each sequence is checked against tokenizing the joined text, and a tokenizer for which it fails is refused.
 */
export async function loadWordTokenizer(resolved: ResolvedModel, options: WordTokenizerOptions = {}): Promise<CachedWordTokenizer> {
  let tokenizer: PreTrainedTokenizer;
  try {
    tokenizer = await AutoTokenizer.from_pretrained(resolved.localPath, { local_files_only: true });
  } catch (error) {
    throw new UserError(`cannot load the tokenizer of ${resolved.id} from ${resolved.localPath}: ${(error as Error).message}`);
  }
  return new CachedWordTokenizer(tokenizer, resolved.id, firstWordRule(tokenizer, options.prefixSpace ?? true));
}

export class CachedWordTokenizer implements WordTokenizer {
  readonly vocabularySize: number;
  /** Special tokens the tokenizer puts before any text (BOS), possibly none. */
  readonly prefixIds: readonly number[];
  private readonly firstForms = new Map<string, number[]>();
  private readonly laterForms = new Map<string, number[]>();

  /** Whether the first word takes its form after a space, and the text checked against starts with one. */
  readonly prefixSpace: boolean;

  /** `firstWord`: how the first word gets its mid-text form (prefixSpace.ts); 'leading space' puts a space first. */
  constructor(private readonly tokenizer: PreTrainedTokenizer, private readonly modelLabel: string, readonly firstWord: FirstWordRule = 'none') {
    this.prefixSpace = firstWord === 'leading space';
    this.vocabularySize = tokenizer.get_vocab().size;
    this.prefixIds = leadingSpecialIds(tokenizer);
  }

  tokenizeWords(words: readonly string[]): TokenizedWords {
    const ids = [...this.prefixIds];
    const wordSpans: Array<[number, number]> = [];
    words.forEach((word, i) => {
      const start = ids.length;
      ids.push(...(i === 0 && !this.prefixSpace ? this.firstForm(word) : this.laterForm(word)));
      wordSpans.push([start, ids.length]);
    });
    if (words.length > 0) this.checkAgainstWholeText(words, ids);
    return { ids, wordSpans, hasBos: this.prefixIds.length > 0 };
  }

  wordTokenIds(word: string): number[] {
    return [...this.laterForm(word)];
  }

  wordTokenCount(word: string): number {
    return this.laterForm(word).length;
  }

  /** A token as text (decoded, so byte-level and SentencePiece markers read as spaces). */
  tokenText(id: number): string {
    return this.tokenizer.decode([id], { skip_special_tokens: false });
  }

  private firstForm(word: string): number[] {
    let ids = this.firstForms.get(word);
    if (!ids) {
      checkWord(word);
      ids = this.tokenizer.encode(word, { add_special_tokens: false });
      this.firstForms.set(word, ids);
    }
    return ids;
  }

  /** The word's tokens after a space: "w w" tokenized, minus the first occurrence's tokens. */
  private laterForm(word: string): number[] {
    let ids = this.laterForms.get(word);
    if (!ids) {
      const first = this.firstForm(word);
      const pair = this.tokenizer.encode(`${word} ${word}`, { add_special_tokens: false });
      if (!first.every((id, i) => pair[i] === id)) this.refuse(`${word} ${word}`);
      ids = pair.slice(first.length);
      this.laterForms.set(word, ids);
    }
    return ids;
  }

  private checkAgainstWholeText(words: readonly string[], ids: readonly number[]): void {
    const whole = this.tokenizer.encode(this.modelText(words), { add_special_tokens: true });
    const suffixFree = whole.length >= ids.length ? whole.slice(0, ids.length) : whole;
    if (suffixFree.length !== ids.length || suffixFree.some((id, i) => id !== ids[i])) this.refuse(words.join(' ').slice(0, 80));
  }

  /** The text the model reads: the words joined by single spaces, after a space when the prefix-space rule applies. */
  modelText(words: readonly string[]): string {
    return `${this.prefixSpace ? ' ' : ''}${words.join(' ')}`;
  }

  private refuse(text: string): never {
    throw new UserError(`the tokenizer of ${this.modelLabel} makes tokens that span spaces (in "${text}"), so words cannot be aligned with tokens`);
  }
}

/** Words are joined by single spaces, so a word holding whitespace would become two. */
function checkWord(word: string): void {
  if (word.length === 0 || /\s/.test(word)) {
    throw new UserError(`words must be non-empty and hold no whitespace (got ${JSON.stringify(word)})`);
  }
}

function leadingSpecialIds(tokenizer: PreTrainedTokenizer): number[] {
  const plain = tokenizer.encode('a', { add_special_tokens: false });
  const special = tokenizer.encode('a', { add_special_tokens: true });
  const at = special.findIndex((_, i) => plain.every((id, j) => special[i + j] === id));
  return at > 0 ? special.slice(0, at) : [];
}
