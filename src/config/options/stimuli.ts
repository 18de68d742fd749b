import { z } from 'zod';
import { DEFAULT_SWAP_RANKS } from '../../stimuli/index.js';
import { UserError } from '../../util/index.js';
import { defineOption, parseNumber, wholeNumber } from '../option.js';

/** Options that shape the stimuli (src/stimuli): sequences, swaps, yoking. */
export const sequences = defineOption({
  name: 'sequences',
  flag: '--sequences <n>',
  description: 'sequences to build (window stimuli: fewer if the corpus allows fewer, and iw says so; yoking: drawn with replacement)',
  effect: 'result',
  schema: wholeNumber(1, 100_000),
  parseFlag: parseNumber,
  defaultValue: 100,
});

export const words = defineOption({
  name: 'words',
  flag: '--words <n>',
  description: 'words per window sequence (the paper\'s demo: 40)',
  effect: 'result',
  schema: wholeNumber(2, 10_000),
  parseFlag: parseNumber,
  defaultValue: 40,
});

export const within = defineOption({
  name: 'within',
  flag: '--within <boundary>',
  description: 'where a window sequence may lie: run (no punctuation or dropped word inside, as in the paper\'s demo: few), sentence, document (crossing sentences, not files: many), or corpus (anywhere)',
  effect: 'result',
  schema: z.enum(['run', 'sentence', 'document', 'corpus'], { error: 'must be run, sentence, document or corpus' }),
  defaultValue: 'document',
});

export const swap = defineOption({
  name: 'swap',
  flag: '--swap <rule>',
  description: 'how a replacement word is chosen: pos (same part-of-speech tag; tagged corpora), embedding (input-embedding distance in one narrow band; needs --model), random (uniform over the corpus vocabulary), probable (a word a fill-mask model predicts in its place: --swap-model, --swap-ranks), or auto: pos on a tagged corpus, else embedding with a model, else random (yoking: embedding)',
  effect: 'result',
  schema: z.enum(['auto', 'pos', 'embedding', 'random', 'probable'], { error: 'must be auto, pos, embedding, random or probable' }),
  defaultValue: 'auto',
});

export const swapModel = defineOption({
  name: 'swapModel',
  flag: '--swap-model <id|dir>',
  description: 'probable swaps: the fill-mask model (a masked LM such as bert-base-uncased, exported to ONNX) that ranks replacements; a hub id or a folder, as --model',
  // Like --model, a path that differs between machines: the swap model is known by its sha256 (stimuli.probable).
  effect: 'runtime',
  defaultDescription: '--model, when it is a masked LM',
  schema: z.string().min(1, { error: 'must name a model folder or hub id' }),
});

export const swapRanks = defineOption({
  name: 'swapRanks',
  flag: '--swap-ranks <low,high>',
  description: 'probable swaps: draw the replacement uniformly from ranks [low, high) of the fill-mask model\'s whole-word alphabetic predictions (0,5: one of the five most probable, the authors\' demo setting)',
  effect: 'result',
  schema: z.tuple([wholeNumber(0, 10_000), wholeNumber(1, 10_000)], { error: 'must be two whole numbers low,high such as 0,5' })
    .refine(([low, high]) => low < high, { error: 'must have low < high, e.g. 0,5' }),
  parseFlag: parseNumberPair,
  // Applied where the probable rule is used (DEFAULT_SWAP_RANKS), so that runs of other rules record no ranks.
  defaultDescription: DEFAULT_SWAP_RANKS.join(','),
});

export const swapBand = defineOption({
  name: 'swapBand',
  flag: '--swap-band <low,high>',
  description: 'embedding swaps: the band of mean |E[w] − E[w\']| to draw replacements from, e.g. 0.10,0.11',
  effect: 'result',
  defaultDescription: 'chosen from the data: ±5 % around the distance where the most words have candidates',
  schema: z.tuple([z.number().positive(), z.number().positive()], { error: 'must be two positive numbers low,high such as 0.10,0.11' })
    .refine(([low, high]) => low < high, { error: 'must have low < high, e.g. 0.10,0.11' }),
  parseFlag: parseNumberPair,
});

export const yoking = defineOption({
  name: 'yoking',
  flag: '--yoking',
  description: 'build yoking stimuli instead of windows: sequences of --sentences sentences of exactly --sentence-words single-token words (needs --model)',
  effect: 'result',
  schema: z.boolean(),
  defaultValue: false,
});

export const sentences = defineOption({
  name: 'sentences',
  flag: '--sentences <k>',
  description: 'yoking: sentences per sequence (the paper: 5)',
  effect: 'result',
  schema: wholeNumber(2, 100),
  parseFlag: parseNumber,
  defaultValue: 5,
});

export const sentenceWords = defineOption({
  name: 'sentenceWords',
  flag: '--sentence-words <l>',
  description: 'yoking: words in every sentence (the paper\'s demo: 12)',
  effect: 'result',
  schema: wholeNumber(2, 200),
  parseFlag: parseNumber,
  defaultValue: 12,
});

export const stimuliOut = defineOption({
  name: 'out',
  flag: '--out <file>',
  description: 'where `iw stimuli` writes the stimuli (iw-stimuli/1 JSON)',
  effect: 'output',
  schema: z.string().min(1, { error: 'must name a file' }),
});

export const stats = defineOption({
  name: 'stats',
  flag: '--stats',
  description: 'print what the corpus offers (sentences, cleaned sentences, windows, yoking sentences) instead of writing stimuli',
  effect: 'output',
  schema: z.boolean(),
  defaultValue: false,
});

/** The options that shape stimuli, shared by `iw stimuli` and `iw estimate`. */
export const stimuliOptions = [sequences, words, within, swap, swapBand, swapModel, swapRanks, yoking, sentences, sentenceWords] as const;

/** Options that shape yoking stimuli only. */
const yokingOnly = [sentences, sentenceWords];

/**
 * Refuses --sentences / --sentence-words given (on the command line or in a config file, even at their default
 * values) for window stimuli, which would ignore them: the user meant yoking stimuli and forgot --yoking.
 * `givenAt` maps each option the user gave to where (see resolveOptions).
 */
export function refuseYokingOnlyOptions(yoking: boolean, givenAt: ReadonlyMap<string, string>): void {
  if (yoking) return;
  const given = yokingOnly.map((spec) => givenAt.get(spec.name)).filter((where): where is string => where !== undefined);
  if (given.length > 0) {
    throw new UserError(`${given.join(' and ')} shape${given.length === 1 ? 's' : ''} yoking stimuli only: add --yoking (or run iw yoking), or leave ${given.length === 1 ? 'it' : 'them'} out for window stimuli`);
  }
}

function parseNumberPair(text: string): unknown {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length !== 2 || parts.some((p) => p === '' || !Number.isFinite(Number(p)))) return text;
  return parts.map(Number);
}
