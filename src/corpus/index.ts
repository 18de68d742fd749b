/** The corpus stage: reading a user's text (plain, one sentence per line, Brown tagged) and cleaning it. */
export { readCorpus, type ReadCorpusOptions } from './readCorpus.js';
export { cleanCorpus, cleanSentence, defaultCleaningSteps, isAlphabetic, isProperNounTag, stripPunctuation } from './cleaning.js';
export { detectFormat, type DetectedFormat } from './detectFormat.js';
export { defaultCorpusPath } from './defaultCorpus.js';
export { segmentSentences } from './segmenter.js';
export { wordTokens, isPunctuationToken } from './wordTokens.js';
export { decodeUtf8, firstInvalidUtf8Offset } from './decodeUtf8.js';
export type {
  CleanCorpus, CleanSentence, CleaningCounts, CleaningSteps, Corpus, CorpusFormat, CorpusFormatChoice,
  CorpusSentence, ProperNounRule,
} from './types.js';
