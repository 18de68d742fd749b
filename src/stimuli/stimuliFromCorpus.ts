import { cleanCorpus } from '../corpus/cleaning.js';
import { defaultCorpusPath } from '../corpus/defaultCorpus.js';
import { readCorpus } from '../corpus/readCorpus.js';
import type { CleanCorpus, CleaningSteps, Corpus } from '../corpus/types.js';
import type { CorpusOptionValues } from '../config/options/corpus.js';
import { DEFAULT_SWAP_RANKS, type StimuliOptionValues } from '../config/options/stimuli.js';
import type { EmbeddingMatrix, WordTokenizer } from '../model/types.js';
import { UserError } from '../util/errors.js';
import { buildWindowStimuli, buildYokingStimuli, type BuiltStimuli } from './buildStimuli.js';
import { chooseSwapRule } from './chooseSwapRule.js';
import type { SwapRuleName } from './types.js';
import type { WordPredictor } from './swapRules/index.js';

/** The corpus, read and cleaned as the options say (the shipped default corpus when none is given). */
export function loadCleanCorpus(options: CorpusOptionValues): { corpus: Corpus; clean: CleanCorpus } {
  const corpus = readCorpus(options.corpus ?? defaultCorpusPath(), { format: options.corpusFormat });
  return { corpus, clean: cleanCorpus(corpus, cleaningSteps(options)) };
}

export function cleaningSteps(options: CorpusOptionValues): CleaningSteps {
  const { lowercase, splitHyphens, dropPunctuation, alphabeticOnly, properNouns } = options;
  return { lowercase, splitHyphens, dropPunctuation, alphabeticOnly, properNouns };
}

/** What a stimuli build needs from a model: the tokenizer, and the input embeddings for embedding swaps. */
export interface StimuliModelParts {
  /** The model as the user named it, recorded in the stimuli's meta. */
  name: string;
  tokenizer: WordTokenizer;
  embedding?: EmbeddingMatrix;
  /** probable swaps: the fill-mask model that ranks replacements. */
  predictor?: WordPredictor;
}

/** The swap rule a build will use (resolving auto), so a caller knows whether to read the embedding matrix. */
export function swapRuleFor(options: StimuliOptionValues, clean: CleanCorpus, hasModel: boolean): SwapRuleName {
  return chooseSwapRule(options.swap, { yoking: options.yoking, tagged: clean.tagged, hasModel });
}

/** Window or yoking stimuli from a cleaned corpus, as the resolved options say. */
export async function buildStimuliFromOptions(
  clean: CleanCorpus,
  options: StimuliOptionValues & { seed: number },
  model?: StimuliModelParts,
): Promise<BuiltStimuli> {
  const swap = swapRuleFor(options, clean, model !== undefined);
  const band = options.swapBand ? { low: options.swapBand[0], high: options.swapBand[1] } : undefined;
  const probable = model?.predictor ? { predictor: model.predictor, ranks: options.swapRanks ?? DEFAULT_SWAP_RANKS } : undefined;
  const common = { swap, seed: options.seed, tokenizer: model?.tokenizer, embedding: model?.embedding, band, probable };
  let stimuli: BuiltStimuli;
  if (options.yoking) {
    if (!model) throw new UserError('yoking stimuli need --model: every word must be a single token under the model\'s tokenizer');
    stimuli = await buildYokingStimuli(clean, { ...common, tokenizer: model.tokenizer, sequences: options.sequences, sentences: options.sentences, sentenceWords: options.sentenceWords });
  } else {
    stimuli = await buildWindowStimuli(clean, { ...common, sequences: options.sequences, words: options.words, within: options.within });
  }
  if (model) stimuli.meta.model = model.name;
  return stimuli;
}
