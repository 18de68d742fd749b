import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Whether a tokenizer is byte-level BPE (GPT-2, RoBERTa and their relatives): its tokenizer.json pre-tokenizer is
 * `ByteLevel`, alone or inside a `Sequence`. Such tokenizers give a word other tokens after a space (" word")
 * than at the start of a text ("word"). SentencePiece-style tokenizers (Llama: a `Metaspace` pre-tokenizer or a
 * normalizer that prepends "▁") already give the first word its mid-text form, and a leading space would add a
 * token of its own, so they are never given one.
 */
export function isByteLevelTokenizer(tokenizerJson: unknown): boolean {
  const preTokenizer = (tokenizerJson as { pre_tokenizer?: unknown } | null)?.pre_tokenizer;
  return hasByteLevel(preTokenizer);
}

function hasByteLevel(node: unknown): boolean {
  if (typeof node !== 'object' || node === null) return false;
  const { type, pretokenizers } = node as { type?: unknown; pretokenizers?: unknown };
  if (type === 'ByteLevel') return true;
  return type === 'Sequence' && Array.isArray(pretokenizers) && pretokenizers.some(hasByteLevel);
}

/**
 * The prefix-space rule (docs/tokenization.md): the authors encode GPT-2 input with `add_prefix_space=True`, so
 * every word, the first included, is tokenized in its mid-text form (" word"). iw does the same for every
 * byte-level BPE tokenizer unless `--no-prefix-space` is given; other tokenizers are left as they are.
 */
export function prefixSpaceApplies(modelFolder: string, requested: boolean): boolean {
  if (!requested) return false;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(join(modelFolder, 'tokenizer.json'), 'utf8'));
  } catch {
    return false; // the tokenizer loader reports an unreadable tokenizer.json
  }
  return isByteLevelTokenizer(json);
}
