import type { CleanCorpus } from '../corpus/index.js';

/** The word types of a cleaned corpus, and for tagged corpora each type's tag. */
export interface Vocabulary {
  /** Every word type, sorted (code-unit order), so draws do not depend on reading order or hashing. */
  types: string[];
  /** A type's tag is the last tag the corpus gives it (docs/method.md §1); empty for untagged corpora. */
  tagOf: Map<string, string>;
}

export function corpusVocabulary(clean: Pick<CleanCorpus, 'sentences'>): Vocabulary {
  const seen = new Set<string>();
  const tagOf = new Map<string, string>();
  for (const sentence of clean.sentences) {
    sentence.words.forEach((word, i) => {
      seen.add(word);
      const tag = sentence.tags?.[i];
      if (tag !== undefined) tagOf.set(word, tag);
    });
  }
  return { types: [...seen].sort(), tagOf };
}
