import { isPunctuationToken } from './wordTokens.js';
import type { CleanCorpus, CleanSentence, CleaningSteps, Corpus, CorpusSentence } from './types.js';

/** The authors' cleaning (docs/method.md §1): every step on. The cleaning options' defaults are these. */
export const defaultCleaningSteps: CleaningSteps = {
  lowercase: true,
  splitHyphens: true,
  dropPunctuation: true,
  alphabeticOnly: true,
  properNouns: 'drop-sentence',
};

/** Proper nouns: Brown tags starting with np (np, np$, np-tl, nps, ...), and Penn's nnp and nnps. */
export function isProperNounTag(tag: string): boolean {
  const lower = tag.toLowerCase();
  return lower.startsWith('np') || lower === 'nnp' || lower === 'nnps';
}

/**
 * Cleans every sentence with the steps that are on. Sentences with no word left, and (by default) tagged
 * sentences holding a proper noun, are dropped and counted.
 */
export function cleanCorpus(corpus: Corpus, steps: CleaningSteps = defaultCleaningSteps): CleanCorpus {
  const sentences: CleanSentence[] = [];
  let droppedForProperNouns = 0;
  let droppedEmpty = 0;
  let tokensRead = 0;
  let wordsKept = 0;
  for (const sentence of corpus.sentences) {
    tokensRead += sentence.tokens.length;
    if (steps.properNouns === 'drop-sentence' && sentence.tags?.some(isProperNounTag)) {
      droppedForProperNouns++;
      continue;
    }
    const clean = cleanSentence(sentence, steps);
    if (clean.words.length === 0) {
      droppedEmpty++;
      continue;
    }
    sentences.push(clean);
    wordsKept += clean.words.length;
  }
  return {
    sentences,
    source: { path: corpus.path, files: corpus.files.length, format: corpus.format, detectedFormat: corpus.detectedFormat },
    steps: { ...steps },
    tagged: corpus.tagged,
    counts: { sentencesRead: corpus.sentences.length, sentencesKept: sentences.length, droppedForProperNouns, droppedEmpty, tokensRead, wordsKept },
  };
}

/** Cleans one sentence, marking where a run breaks (something dropped between two kept words). */
export function cleanSentence(sentence: CorpusSentence, steps: CleaningSteps): CleanSentence {
  const words: string[] = [];
  const tags: string[] = [];
  const runStarts: number[] = [];
  let droppedWords = 0;
  let runBroken = true;
  sentence.tokens.forEach((token, i) => {
    const tag = sentence.tags?.[i];
    if (steps.dropPunctuation && isPunctuationToken(token)) {
      runBroken = true;
      return;
    }
    if (steps.properNouns === 'drop-word' && tag !== undefined && isProperNounTag(tag)) {
      droppedWords++;
      runBroken = true;
      return;
    }
    for (const part of tokenWords(token, steps)) {
      if (part.length === 0) {
        runBroken = true;
      } else if (steps.alphabeticOnly && !isAlphabetic(part)) {
        droppedWords++;
        runBroken = true;
      } else {
        if (runBroken) runStarts.push(words.length);
        runBroken = false;
        words.push(part);
        if (tag !== undefined) tags.push(tag);
      }
    }
  });
  return { words, ...(sentence.tags ? { tags } : {}), document: sentence.document, runStarts, droppedWords };
}

/** A token's words after lowercasing, hyphen splitting and punctuation stripping; '' marks a part that was all punctuation. */
function tokenWords(token: string, steps: CleaningSteps): string[] {
  const cased = steps.lowercase ? token.toLowerCase() : token;
  const parts = steps.splitHyphens ? cased.split(/-+/) : [cased];
  return parts.map((part) => (steps.dropPunctuation ? stripPunctuation(part) : part));
}

/** Removes every character that is not a letter, combining mark or digit (quote marks, apostrophes, dots, $). */
export function stripPunctuation(word: string): string {
  return word.replace(/[^\p{L}\p{M}\p{N}]/gu, '');
}

/** Letters only (any script, with combining marks), as Python's str.isalpha that the authors use. */
export function isAlphabetic(word: string): boolean {
  return /^[\p{L}\p{M}]+$/u.test(word);
}
