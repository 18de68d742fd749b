import type { CleanSentence } from '../corpus/index.js';
import { randomInt, type RandomSource } from '../util/index.js';
import type { TokenCounter } from './tokenCounts.js';

/**
 * Sentences fit for yoking stimuli: exactly `sentenceWords` words, nothing but punctuation dropped by cleaning
 * (a sentence that lost a number or a name would not read as a sentence), and every word a single token, so
 * sentence boundaries fall at known token positions. In corpus order.
 */
export function yokingSentences(sentences: readonly CleanSentence[], sentenceWords: number, tokens: TokenCounter): string[][] {
  return sentences
    .filter((s) => s.words.length === sentenceWords && s.droppedWords === 0)
    .filter((s) => s.words.every((w) => tokens.isSingleToken(w)))
    .map((s) => s.words);
}

/** A yoking sequence: its words and where its sentences start (0, L, 2L, ...). */
export interface YokingSequence {
  words: string[];
  sentenceStarts: number[];
}

/**
 * Draws `count` sequences of `sentencesPerSequence` sentences each, with replacement across sequences (as the
 * authors do: few sentences pass the single-token filter) and distinct within a sequence.
 */
export function drawYokingSequences(
  eligible: readonly string[][],
  count: number,
  sentencesPerSequence: number,
  random: RandomSource,
): YokingSequence[] {
  return Array.from({ length: count }, () => {
    const picked: number[] = [];
    while (picked.length < sentencesPerSequence) {
      const index = randomInt(random, eligible.length);
      if (!picked.includes(index)) picked.push(index);
    }
    const sentenceStarts: number[] = [];
    const words: string[] = [];
    for (const index of picked) {
      sentenceStarts.push(words.length);
      words.push(...eligible[index]);
    }
    return { words, sentenceStarts };
  });
}
