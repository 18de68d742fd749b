import type { PreTrainedTokenizer } from '@huggingface/transformers';
import type { FirstWordRule } from '../types.js';

/** Common words whose two forms tell the rule; every one must agree. */
const PROBE_WORDS = ['the', 'of', 'and', 'river', 'time', 'said'];

/**
 * The prefix-space rule (docs/tokenization.md): the authors encode GPT-2 input with `add_prefix_space=True`, so
 * every word, the first included, is tokenized in its mid-text form. iw does the same for every tokenizer: told
 * not by its type but by what it does to a few common words. A word's mid-text form is its tokens in "w w" after
 * the first occurrence; if the tokenizer already gives every probe word that form at the start of a text, nothing
 * is needed; if a leading space gives it, the space is put there; otherwise (or when not `requested`) nothing.
 */
export function firstWordRule(tokenizer: PreTrainedTokenizer, requested: boolean): FirstWordRule {
  const encode = (text: string) => tokenizer.encode(text, { add_special_tokens: false });
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((id, i) => id === b[i]);
  const probes = PROBE_WORDS.map((word) => {
    const first = encode(word);
    return { first, midText: encode(`${word} ${word}`).slice(first.length), spaced: encode(` ${word}`) };
  });
  if (probes.every((p) => same(p.first, p.midText))) return 'tokenizer';
  if (requested && probes.every((p) => same(p.spaced, p.midText))) return 'leading space';
  return 'none';
}
