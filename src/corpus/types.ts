/** The corpus stage's types: text as read from the user's files, and as cleaned for stimuli (docs/method.md §1). */

/** How a corpus file is laid out. */
export type CorpusFormat = 'text' | 'lines' | 'brown';

/** What the user asked for: a format, or `auto` to detect it. */
export type CorpusFormatChoice = CorpusFormat | 'auto';

/** One sentence as read: its tokens (words and punctuation) and, for tagged corpora, one tag per token. */
export interface CorpusSentence {
  tokens: string[];
  tags?: string[];
  /** Index into Corpus.files of the file it came from: sequences may be kept inside one document. */
  document: number;
}

export interface Corpus {
  /** The --corpus path as given (a file or a folder). */
  path: string;
  /** Files read, in reading order (sorted by name within a folder). */
  files: string[];
  /** Files in the folder that were not read, and why (e.g. a README beside Brown samples). */
  skippedFiles: Array<{ file: string; reason: string }>;
  sentences: CorpusSentence[];
  format: CorpusFormat;
  /** True when the format was detected rather than given. */
  detectedFormat: boolean;
  /** Why that format was detected (or "given by --corpus-format"). */
  formatReason: string;
  /** True when every sentence has one tag per token. */
  tagged: boolean;
}

/** What to do with proper nouns (tags starting with `np`, or Penn `nnp`/`nnps`) in a tagged corpus. */
export type ProperNounRule = 'drop-sentence' | 'drop-word' | 'keep';

/** The cleaning steps of docs/method.md §1, each of which can be turned off; a report records which were on. */
export interface CleaningSteps {
  /** Lowercase every word. */
  lowercase: boolean;
  /** Split hyphenated words into their parts ("term-end" → "term", "end"). */
  splitHyphens: boolean;
  /** Drop punctuation tokens and quote marks, and punctuation characters inside words ("Emma's" → "emmas"). */
  dropPunctuation: boolean;
  /** Keep alphabetic words only (numbers and mixed tokens are dropped). */
  alphabeticOnly: boolean;
  /** Tagged corpora: drop sentences holding a proper noun (the authors' rule), drop only the proper nouns, or keep them. */
  properNouns: ProperNounRule;
}

/** A sentence after cleaning: only the words kept. */
export interface CleanSentence {
  words: string[];
  /** One tag per kept word (a hyphenated token's parts share its tag). */
  tags?: string[];
  document: number;
  /**
   * Word indices where an unbroken run starts (always 0 first). A run is a stretch with nothing dropped inside
   * it: no punctuation token, no non-alphabetic or proper-noun word. The paper's demo takes its 40-word
   * sequences from such runs only.
   */
  runStarts: number[];
  /** Words (not punctuation) that cleaning dropped from this sentence; yoking takes only sentences with none. */
  droppedWords: number;
}

export interface CleanCorpus {
  sentences: CleanSentence[];
  /** Where the sentences came from, for the stimuli's meta. */
  source: { path: string; files: number; format: CorpusFormat; detectedFormat: boolean };
  steps: CleaningSteps;
  tagged: boolean;
  counts: CleaningCounts;
}

export interface CleaningCounts {
  sentencesRead: number;
  sentencesKept: number;
  /** Sentences dropped because they hold a proper noun (properNouns: drop-sentence). */
  droppedForProperNouns: number;
  /** Sentences left with no word at all. */
  droppedEmpty: number;
  tokensRead: number;
  wordsKept: number;
}
