import type { YokingDesign } from '../analysis/index.js';
import { loadSwapModel, readEmbeddingMatrix, resolveModel } from '../model/index.js';
import type { LanguageModel, ResolvedModel } from '../model/index.js';
import { buildStimuliFromOptions, loadCleanCorpus, readStimuliFile } from '../stimuli/index.js';
import type { Stimuli } from '../stimuli/index.js';
import { UserError } from '../util/index.js';
import type { EstimateOptions } from '../config/index.js';
import { modelLoading } from '../config/index.js';

/**
 * The run's stimuli: read back from --stimuli, or built from --corpus (the shipped default corpus when none is
 * given) with the model's tokenizer, and its input embeddings when swaps are matched by embedding distance.
 */
export async function prepareStimuli(options: EstimateOptions, model: LanguageModel, modelName: string): Promise<Stimuli> {
  if (options.stimuli) return readStimuliFile(options.stimuli);
  const { clean } = loadCleanCorpus(options);
  return buildStimuliFromOptions(clean, options, {
    name: modelName,
    dtype: model.resolved.dtype,
    tokenizer: model.tokenizer,
    readEmbedding: async () => readEmbeddingMatrix(await embeddingSource(options, model)),
    openPredictor: () => loadSwapModel({ ...modelLoading(options), untrained: undefined, swapModel: options.swapModel }),
  });
}

/**
 * Embedding swaps are matched on the trained model's embeddings even for an untrained run, so that the trained
 * model and its untrained control are measured on the very same stimuli.
 */
async function embeddingSource(options: EstimateOptions, model: LanguageModel): Promise<ResolvedModel> {
  if (!options.untrained) return model.resolved;
  return resolveModel({ ...modelLoading(options), quiet: true });
}

/**
 * The sentence layout of yoking stimuli: every sequence must have the same sentence starts, equally spaced
 * (sentences of exactly L words), so that onsets fall at the same word indices in every sequence.
 */
export function yokingDesignOf(stimuli: Stimuli, source: string): YokingDesign {
  const first = stimuli.sequences[0].sentenceStarts;
  if (!first || first.length < 2) {
    throw new UserError(`${source}: yoking needs stimuli with sentenceStarts (at least two sentences per sequence); build them with --yoking, or give a file made by \`iw stimuli --yoking\``);
  }
  const sentenceLength = first[1] - first[0];
  first.forEach((start, i) => {
    if (start !== first[0] + i * sentenceLength) throw new UserError(`${source}: sequence 1's sentences are not all ${sentenceLength} words long (sentenceStarts ${JSON.stringify(first)})`);
  });
  stimuli.sequences.forEach((sequence, s) => {
    if (JSON.stringify(sequence.sentenceStarts) !== JSON.stringify(first)) {
      throw new UserError(`${source}: sequence ${s + 1}'s sentenceStarts differ from sequence 1's; yoking needs the same sentence layout in every sequence`);
    }
  });
  if (first[0] !== 0) throw new UserError(`${source}: the first sentence must start at word 0 (sentenceStarts ${JSON.stringify(first)})`);
  return { sentenceLength, sentenceStarts: first };
}
