import { z } from 'zod';
import { defaultCleaningSteps } from '../../corpus/index.js';
import { defineOption } from '../option.js';

/** Options that choose a corpus and how it is cleaned (src/corpus; the cleaning defaults are its defaultCleaningSteps). */
export const corpus = defineOption({
  name: 'corpus',
  flag: '--corpus <path>',
  description: 'text to build stimuli from: a file, or a folder of files (each file one document)',
  effect: 'result',
  schema: z.string().min(1, { error: 'must name a file or folder' }),
  defaultDescription: 'chapters I–IX of Austen\'s Emma, shipped with iw',
});

export const corpusFormat = defineOption({
  name: 'corpusFormat',
  flag: '--corpus-format <format>',
  description: 'text (running text, wrapped lines, sentences found by a segmenter), lines (one sentence per line), brown (NLTK Brown word/tag tokens, a sentence per line), or auto to detect it',
  effect: 'result',
  schema: z.enum(['auto', 'text', 'lines', 'brown'], { error: 'must be auto, text, lines or brown' }),
  defaultValue: 'auto',
});

export const lowercase = defineOption({
  name: 'lowercase',
  flag: '--no-lowercase',
  description: 'keep capitals (cleaning lowercases every word by default)',
  effect: 'result',
  schema: z.boolean(),
  defaultValue: defaultCleaningSteps.lowercase,
});

export const splitHyphens = defineOption({
  name: 'splitHyphens',
  flag: '--no-split-hyphens',
  description: 'keep hyphenated words whole (cleaning splits "term-end" into "term end" by default)',
  effect: 'result',
  schema: z.boolean(),
  defaultValue: defaultCleaningSteps.splitHyphens,
});

export const dropPunctuation = defineOption({
  name: 'dropPunctuation',
  flag: '--no-drop-punctuation',
  description: 'keep punctuation and quote marks (cleaning drops them, and punctuation inside words, by default)',
  effect: 'result',
  schema: z.boolean(),
  defaultValue: defaultCleaningSteps.dropPunctuation,
});

export const alphabeticOnly = defineOption({
  name: 'alphabeticOnly',
  flag: '--no-alphabetic-only',
  description: 'keep words that are not purely alphabetic, such as numbers (cleaning drops them by default)',
  effect: 'result',
  schema: z.boolean(),
  defaultValue: defaultCleaningSteps.alphabeticOnly,
});

export const properNouns = defineOption({
  name: 'properNouns',
  flag: '--proper-nouns <rule>',
  description: 'tagged corpora: drop-sentence (drop sentences holding a proper noun, as the authors do), drop-word (drop only the proper nouns; they break runs, as in the paper\'s demo), or keep',
  effect: 'result',
  schema: z.enum(['drop-sentence', 'drop-word', 'keep'], { error: 'must be drop-sentence, drop-word or keep' }),
  defaultValue: defaultCleaningSteps.properNouns,
});

/** Every corpus option, in --help order. */
export const corpusOptions = [corpus, corpusFormat, lowercase, splitHyphens, dropPunctuation, alphabeticOnly, properNouns] as const;
