import { AutoTokenizer, type PreTrainedTokenizer } from '@huggingface/transformers';
import { UserError } from '../util/errors.js';
import type { ResolvedModel, TokenizedWords, WordTokenizer } from './types.js';

/**
 * Words in the usual input form of an encoder (BERT, RoBERTa, fill-mask models): the special tokens the tokenizer
 * puts around a text (`<s>` … `</s>`, `[CLS]` … `[SEP]`), and every word, the first included, in its mid-text form
 * `" " + word` (RoBERTa's byte-level BPE then gives "Ġword"; WordPiece ignores the space). This is how the shared
 * masked LM was trained and how its reference hidden states were computed.
 *
 * It also builds the masked input of the "probable" swap rule: the same form with one word replaced by a single
 * mask token (RoBERTa's `<mask>` strips the space before it; BERT's `[MASK]` stands for the whole word).
 * Each word is tokenized once and cached; every sequence is checked against tokenizing the whole text at once.
 */
export class SpacedWordTokenizer implements WordTokenizer {
  readonly vocabularySize: number;
  /** Special tokens before the words (e.g. `<s>`), possibly none. */
  readonly prefixIds: readonly number[];
  /** Special tokens after the words (e.g. `</s>`), possibly none. */
  readonly suffixIds: readonly number[];
  /** The mask token's id, when the tokenizer has one. */
  readonly maskTokenId: number | undefined;
  private readonly forms = new Map<string, number[]>();

  constructor(private readonly tokenizer: PreTrainedTokenizer, private readonly modelLabel: string) {
    this.vocabularySize = tokenizer.get_vocab().size;
    [this.prefixIds, this.suffixIds] = surroundingSpecialIds(tokenizer);
    const mask = (tokenizer as unknown as { mask_token_id?: number | null }).mask_token_id;
    this.maskTokenId = typeof mask === 'number' ? mask : undefined;
  }

  tokenizeWords(words: readonly string[]): TokenizedWords {
    const ids = [...this.prefixIds];
    const wordSpans: Array<[number, number]> = [];
    for (const word of words) {
      const start = ids.length;
      ids.push(...this.spacedForm(word));
      wordSpans.push([start, ids.length]);
    }
    ids.push(...this.suffixIds);
    if (words.length > 0) this.checkAgainstWholeText(words, ids);
    return { ids, wordSpans, hasBos: this.prefixIds.length > 0 };
  }

  wordTokenIds(word: string): number[] {
    return [...this.spacedForm(word)];
  }

  wordTokenCount(word: string): number {
    return this.spacedForm(word).length;
  }

  tokenText(id: number): string {
    return this.tokenizer.decode([id], { skip_special_tokens: false });
  }

  /**
   * The input with word `position` replaced by one mask token, and where that token is. Throws a UserError when
   * the tokenizer has no mask token.
   */
  maskedInput(words: readonly string[], position: number): { ids: number[]; maskIndex: number } {
    const mask = this.maskTokenId;
    if (mask === undefined) throw new UserError(`${this.modelLabel} has no mask token: it is not a fill-mask model`);
    const ids = [...this.prefixIds];
    let maskIndex = -1;
    words.forEach((word, i) => {
      if (i === position) {
        maskIndex = ids.length;
        ids.push(mask);
      } else {
        ids.push(...this.spacedForm(word));
      }
    });
    ids.push(...this.suffixIds);
    return { ids, maskIndex };
  }

  /**
   * The word a token stands for when it begins a word and is the whole word: its text (decoded, without the
   * leading space) when `" " + text` tokenizes to exactly this token ("Ġriver" → "river"); undefined for pieces
   * inside words ("##ing", "ing" without "Ġ"), special tokens and tokens that are more than one word.
   */
  wholeWordOf(id: number): string | undefined {
    const text = this.tokenizer.decode([id], { skip_special_tokens: true });
    const word = text.replace(/^ /, '');
    if (word.length === 0 || /\s/.test(word)) return undefined;
    const form = this.spacedForm(word);
    return form.length === 1 && form[0] === id ? word : undefined;
  }

  private spacedForm(word: string): number[] {
    let ids = this.forms.get(word);
    if (!ids) {
      if (word.length === 0 || /\s/.test(word)) throw new UserError(`words must be non-empty and hold no whitespace (got ${JSON.stringify(word)})`);
      ids = this.tokenizer.encode(` ${word}`, { add_special_tokens: false });
      this.forms.set(word, ids);
    }
    return ids;
  }

  private checkAgainstWholeText(words: readonly string[], ids: readonly number[]): void {
    const whole = this.tokenizer.encode(` ${words.join(' ')}`, { add_special_tokens: true });
    if (whole.length !== ids.length || whole.some((id, i) => id !== ids[i])) {
      throw new UserError(`the tokenizer of ${this.modelLabel} makes tokens that span spaces (in "${words.join(' ').slice(0, 80)}"), so words cannot be aligned with tokens`);
    }
  }
}

export async function loadSpacedWordTokenizer(resolved: ResolvedModel): Promise<SpacedWordTokenizer> {
  let tokenizer: PreTrainedTokenizer;
  try {
    tokenizer = await AutoTokenizer.from_pretrained(resolved.localPath, { local_files_only: true });
  } catch (error) {
    throw new UserError(`cannot load the tokenizer of ${resolved.id} from ${resolved.localPath}: ${(error as Error).message}`);
  }
  return new SpacedWordTokenizer(tokenizer, resolved.id);
}

/** The special tokens a tokenizer adds before and after a text: where the plain encoding sits inside the special one. */
function surroundingSpecialIds(tokenizer: PreTrainedTokenizer): [number[], number[]] {
  const plain = tokenizer.encode(' a', { add_special_tokens: false });
  const special = tokenizer.encode(' a', { add_special_tokens: true });
  const at = special.findIndex((_, i) => plain.every((id, j) => special[i + j] === id));
  if (at < 0) return [[], []];
  return [special.slice(0, at), special.slice(at + plain.length)];
}
