import { AutoTokenizer, type PreTrainedTokenizer } from '@huggingface/transformers';
import { UserError } from '../../util/index.js';
import { firstWordRule } from './prefixSpace.js';
import { CachedWordTokenizer, type WordTokenizerOptions } from './tokenizer.js';
import type { FirstWordRule, ResolvedModel, TokenizedWords, WordTokenizer } from '../types.js';

/**
 * Words in the usual input form of an encoder (BERT, RoBERTa, fill-mask models): the words as every model reads
 * them (tokenizer.ts: joined by single spaces, the first after a space too under the prefix-space rule, so RoBERTa
 * gets "Ġthe"; WordPiece ignores the space), with the special tokens the tokenizer puts around a text on both sides
 * (`<s> … </s>`, `[CLS] … [SEP]`): an encoder's words see the closing token too. This is how the shared masked LM
 * was trained and how its reference hidden states were computed.
 *
 * It also builds the masked input of the "probable" swap rule: the same form with one word replaced by a single
 * mask token (RoBERTa's `<mask>` strips the space before it; BERT's `[MASK]` stands for the whole word).
 */
export class EncoderWordTokenizer implements WordTokenizer {
  readonly vocabularySize: number;
  readonly prefixSpace: boolean;
  readonly firstWord: FirstWordRule;
  /** Special tokens after the words (e.g. `</s>`), possibly none. */
  readonly suffixIds: readonly number[];
  /** The mask token's id, when the tokenizer has one. */
  readonly maskTokenId: number | undefined;
  /** The words' own tokens, as for every model. */
  private readonly words: CachedWordTokenizer;

  constructor(private readonly tokenizer: PreTrainedTokenizer, private readonly modelLabel: string, firstWord: FirstWordRule) {
    this.words = new CachedWordTokenizer(tokenizer, modelLabel, firstWord);
    this.vocabularySize = this.words.vocabularySize;
    this.prefixSpace = this.words.prefixSpace;
    this.firstWord = firstWord;
    this.suffixIds = trailingSpecialIds(tokenizer);
    const mask = (tokenizer as unknown as { mask_token_id?: number | null }).mask_token_id;
    this.maskTokenId = typeof mask === 'number' ? mask : undefined;
  }

  /** The words' tokens (checked against tokenizing the whole text) and the closing special tokens after them. */
  tokenizeWords(words: readonly string[]): TokenizedWords {
    const tokens = this.words.tokenizeWords(words);
    return { ...tokens, ids: [...tokens.ids, ...this.suffixIds] };
  }

  wordTokenIds(word: string): number[] {
    return this.words.wordTokenIds(word);
  }

  wordTokenCount(word: string): number {
    return this.words.wordTokenCount(word);
  }

  tokenText(id: number): string {
    return this.words.tokenText(id);
  }

  /**
   * The input with word `position` replaced by one mask token, and where that token is. Throws a UserError when
   * the tokenizer has no mask token.
   */
  maskedInput(words: readonly string[], position: number): { ids: number[]; maskIndex: number } {
    const mask = this.maskTokenId;
    if (mask === undefined) throw new UserError(`${this.modelLabel} has no mask token: it is not a fill-mask model`);
    const { ids: whole, wordSpans } = this.tokenizeWords(words);
    const [start, end] = wordSpans[position];
    return { ids: [...whole.slice(0, start), mask, ...whole.slice(end)], maskIndex: start };
  }

  /**
   * The word a token stands for when it begins a word and is the whole word: its text (decoded, without the
   * leading space) when that word written after a space is exactly this token ("Ġriver" → "river"); undefined for
   * pieces inside words ("##ing", "ing" without "Ġ"), special tokens and tokens that are more than one word.
   */
  wholeWordOf(id: number): string | undefined {
    const text = this.tokenizer.decode([id], { skip_special_tokens: true });
    const word = text.replace(/^ /, '');
    if (word.length === 0 || /\s/.test(word)) return undefined;
    const form = this.words.wordTokenIds(word);
    return form.length === 1 && form[0] === id ? word : undefined;
  }
}

/** The encoder form of a model's tokenizer; the prefix-space rule as for every model (tokenizer.ts). */
export async function loadEncoderWordTokenizer(resolved: ResolvedModel, options: WordTokenizerOptions = {}): Promise<EncoderWordTokenizer> {
  let tokenizer: PreTrainedTokenizer;
  try {
    tokenizer = await AutoTokenizer.from_pretrained(resolved.localPath, { local_files_only: true });
  } catch (error) {
    throw new UserError(`cannot load the tokenizer of ${resolved.id} from ${resolved.localPath}: ${(error as Error).message}`);
  }
  return new EncoderWordTokenizer(tokenizer, resolved.id, firstWordRule(tokenizer, options.prefixSpace ?? true));
}

/** The special tokens a tokenizer adds after a text: what follows the plain encoding inside the special one. */
function trailingSpecialIds(tokenizer: PreTrainedTokenizer): number[] {
  const plain = tokenizer.encode('a', { add_special_tokens: false });
  const special = tokenizer.encode('a', { add_special_tokens: true });
  const at = special.findIndex((_, i) => plain.every((id, j) => special[i + j] === id));
  return at < 0 ? [] : special.slice(at + plain.length);
}
