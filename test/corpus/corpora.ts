import type { Corpus, CorpusSentence } from '../../src/corpus/types.js';

/** A corpus built in the test, as readCorpus would return it. */
export function corpusOf(sentences: CorpusSentence[], tagged = sentences.some((s) => s.tags !== undefined)): Corpus {
  const documents = 1 + Math.max(0, ...sentences.map((s) => s.document));
  return {
    path: 'test-corpus',
    files: Array.from({ length: documents }, (_, i) => `doc${i}`),
    skippedFiles: [],
    sentences,
    format: tagged ? 'brown' : 'lines',
    detectedFormat: false,
    formatReason: 'given by the test',
    tagged,
  };
}

/** A tagged sentence from Brown-style "word/tag word/tag" text. */
export function tagged(text: string, document = 0): CorpusSentence {
  const pairs = text.split(' ').map((item) => [item.slice(0, item.lastIndexOf('/')), item.slice(item.lastIndexOf('/') + 1)]);
  return { tokens: pairs.map((p) => p[0]), tags: pairs.map((p) => p[1]), document };
}

/** An untagged sentence of space-separated tokens. */
export function plain(text: string, document = 0): CorpusSentence {
  return { tokens: text.split(' '), document };
}
