import type { CleanCorpus, CleaningSteps, Corpus } from '../corpus/index.js';
import type { WordTokenizer } from '../model/index.js';
import { TokenCounter } from './tokenCounts.js';
import type { WindowBoundary } from './types.js';
import { corpusVocabulary } from './vocabulary.js';
import { WindowCatalogue } from './windowSequences.js';

/** What a corpus offers the stimuli builders: the numbers `iw stimuli --stats` prints. */
export interface CorpusStats {
  path: string;
  files: number;
  skippedFiles: string[];
  format: string;
  detectedFormat: boolean;
  formatReason: string;
  tagged: boolean;
  /** As read: sentences and tokens (words and punctuation). */
  sentences: number;
  tokens: number;
  cleaning: CleaningSteps;
  cleanedSentences: number;
  droppedForProperNouns: number;
  droppedEmpty: number;
  cleanedWords: number;
  vocabulary: number;
  /** Non-overlapping windows of `words` words that fit within each kind of boundary. */
  windows: { words: number } & Record<WindowBoundary, number>;
  yoking: {
    sentenceWords: number;
    /** Cleaned sentences of exactly sentenceWords words with no word dropped. */
    sentencesOfLength: number;
    /** Those whose every word is a single token under the tokenizer; null without one. */
    singleTokenSentencesOfLength: number | null;
  };
}

export interface CorpusStatsOptions {
  words: number;
  sentenceWords: number;
  tokenizer?: WordTokenizer;
}

export function corpusStats(corpus: Corpus, clean: CleanCorpus, options: CorpusStatsOptions): CorpusStats {
  const ofLength = clean.sentences.filter((s) => s.words.length === options.sentenceWords && s.droppedWords === 0);
  const tokens = options.tokenizer ? new TokenCounter(options.tokenizer) : undefined;
  const windowsWithin = (within: WindowBoundary) => new WindowCatalogue(clean.sentences, options.words, within).available;
  return {
    path: corpus.path,
    files: corpus.files.length,
    skippedFiles: corpus.skippedFiles.map((s) => s.file),
    format: corpus.format,
    detectedFormat: corpus.detectedFormat,
    formatReason: corpus.formatReason,
    tagged: corpus.tagged,
    sentences: corpus.sentences.length,
    tokens: clean.counts.tokensRead,
    cleaning: clean.steps,
    cleanedSentences: clean.counts.sentencesKept,
    droppedForProperNouns: clean.counts.droppedForProperNouns,
    droppedEmpty: clean.counts.droppedEmpty,
    cleanedWords: clean.counts.wordsKept,
    vocabulary: corpusVocabulary(clean).types.length,
    windows: {
      words: options.words,
      run: windowsWithin('run'),
      sentence: windowsWithin('sentence'),
      document: windowsWithin('document'),
      corpus: windowsWithin('corpus'),
    },
    yoking: {
      sentenceWords: options.sentenceWords,
      sentencesOfLength: ofLength.length,
      singleTokenSentencesOfLength: tokens ? ofLength.filter((s) => s.words.every((w) => tokens.isSingleToken(w))).length : null,
    },
  };
}
