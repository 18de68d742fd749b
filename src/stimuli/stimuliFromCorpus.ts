import { cleanCorpus } from '../corpus/index.js';
import { defaultCorpusPath } from '../corpus/index.js';
import { readCorpus } from '../corpus/index.js';
import type { CleanCorpus, CleaningSteps, Corpus, CorpusFormatChoice } from '../corpus/index.js';
import type { EmbeddingMatrix, WordTokenizer } from '../model/index.js';
import { UserError } from '../util/index.js';
import { buildWindowStimuli, buildYokingStimuli, type BuiltStimuli } from './buildStimuli.js';
import { chooseSwapRule, type SwapChoice } from './chooseSwapRule.js';
import { DEFAULT_SWAP_RANKS, type WordPredictor } from './swapRules/index.js';
import type { WindowBoundary } from './types.js';

/**
 * The corpus to build stimuli from and how to clean it: the stage's own input, in the corpus options' names (so
 * resolved options can be passed as they are, without this stage knowing the options).
 */
export interface CorpusRequest extends CleaningSteps {
  /** A file or folder; the shipped default corpus when not given. */
  corpus?: string;
  corpusFormat: CorpusFormatChoice;
}

/** What stimuli to build: the stage's own input, in the stimuli options' names. */
export interface StimuliRequest {
  sequences: number;
  /** Window stimuli: words per sequence, and where a sequence may lie. */
  words: number;
  within: WindowBoundary;
  /** A swap rule, or auto (chooseSwapRule). */
  swap: SwapChoice;
  /** embedding swaps: a band of distances instead of the automatic one. */
  swapBand?: readonly [number, number];
  /** probable swaps: ranks [low, high) to draw from (DEFAULT_SWAP_RANKS when not given). */
  swapRanks?: readonly [number, number];
  /** Yoking stimuli instead of windows: sequences of `sentences` sentences of `sentenceWords` words. */
  yoking: boolean;
  sentences: number;
  sentenceWords: number;
  /** Seeds every random choice. */
  seed: number;
}

/** The corpus, read and cleaned as asked (the shipped default corpus when none is given). */
export function loadCleanCorpus(request: CorpusRequest): { corpus: Corpus; clean: CleanCorpus } {
  const corpus = readCorpus(request.corpus ?? defaultCorpusPath(), { format: request.corpusFormat });
  return { corpus, clean: cleanCorpus(corpus, cleaningSteps(request)) };
}

export function cleaningSteps(request: CleaningSteps): CleaningSteps {
  const { lowercase, splitHyphens, dropPunctuation, alphabeticOnly, properNouns } = request;
  return { lowercase, splitHyphens, dropPunctuation, alphabeticOnly, properNouns };
}

/**
 * What a stimuli build takes from a model: its tokenizer, and the parts only some swap rules need, read or opened
 * by the build once it has chosen the rule (so a caller loads nothing the rule does not use).
 */
export interface StimuliModelParts {
  /** The model as the user named it, recorded in the stimuli's meta. */
  name: string;
  /** The weight dtype of its file (recorded in the meta: embedding swaps were matched on those weights). */
  dtype?: string;
  tokenizer: WordTokenizer;
  /** embedding swaps: reads the input embeddings. */
  readEmbedding?: () => Promise<EmbeddingMatrix>;
  /** probable swaps: opens the fill-mask model that ranks replacements (the build disposes it). */
  openPredictor?: () => Promise<WordPredictor & { dispose(): Promise<void> }>;
}

/**
 * Window or yoking stimuli from a cleaned corpus, as asked. The one place the swap rule is chosen (auto resolved by
 * the corpus and whether a model is given), and the model parts that rule needs are loaded.
 */
export async function buildStimuliFromOptions(clean: CleanCorpus, request: StimuliRequest, model?: StimuliModelParts): Promise<BuiltStimuli> {
  const swap = chooseSwapRule(request.swap, { yoking: request.yoking, tagged: clean.tagged, hasModel: model !== undefined });
  if (swap === 'probable' && !model) {
    throw new UserError('--swap probable needs --model (the measured model, whose tokenizer the swaps are checked against), and --swap-model unless --model is a masked LM');
  }
  const embedding = swap === 'embedding' ? await model?.readEmbedding?.() : undefined;
  const predictor = swap === 'probable' ? await model?.openPredictor?.() : undefined;
  try {
    const band = request.swapBand ? { low: request.swapBand[0], high: request.swapBand[1] } : undefined;
    const ranks: [number, number] = [...(request.swapRanks ?? DEFAULT_SWAP_RANKS)];
    const probable = predictor ? { predictor, ranks } : undefined;
    const common = { swap, seed: request.seed, tokenizer: model?.tokenizer, embedding, band, probable };
    let stimuli: BuiltStimuli;
    if (request.yoking) {
      if (!model) throw new UserError('yoking stimuli need --model: every word must be a single token under the model\'s tokenizer');
      stimuli = await buildYokingStimuli(clean, { ...common, tokenizer: model.tokenizer, sequences: request.sequences, sentences: request.sentences, sentenceWords: request.sentenceWords });
    } else {
      stimuli = await buildWindowStimuli(clean, { ...common, sequences: request.sequences, words: request.words, within: request.within });
    }
    if (model) stimuli.meta.model = model.name;
    if (model?.dtype) stimuli.meta.dtype = model.dtype;
    return stimuli;
  } finally {
    await predictor?.dispose();
  }
}
