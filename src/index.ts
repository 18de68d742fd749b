/**
 * iw's programmatic API: every CLI command is a thin layer over these.
 *
 *   import { estimate, writeRun } from 'iw';
 *   const run = await estimate({ ...options });   // see EstimateOptions; resolveOptions fills defaults
 *   // across machines: estimateShard({ ...options, shard: '2/3' }, dir) on each, then mergeParts([dirs], { out })
 */
export { runCli } from './cli/program.js';
export { UserError } from './util/errors.js';
export { createRandom, type RandomSource } from './util/random.js';
export { resolveOptions } from './config/resolve.js';
export { estimate, estimateShard, estimateOptionSpecs, mergeParts, writeRun, defaultModelPath, type EstimateOptions, type EstimateRun, type ShardRun } from './pipeline/index.js';
export { readPartial, resolveShard, shardShare } from './shard/index.js';
export { loadModel, resolveModel, loadWordTokenizer, readEmbeddingMatrix, findLayers, textActivations } from './model/index.js';
export type { LanguageModel, LayerTap, ResolvedModel, WordTokenizer, EmbeddingMatrix } from './model/index.js';
export { readCorpus, cleanCorpus } from './corpus/index.js';
export { buildWindowStimuli, buildYokingStimuli, readStimuliFile, writeStimuliFile } from './stimuli/index.js';
export type { Stimuli, StimulusSequence } from './stimuli/index.js';
export { runSwapEngine, type EngineKind, type SwapObserver } from './engine/index.js';
export { DifferenceAccumulator } from './measure/index.js';
export * as analysis from './analysis/index.js';
export { reportSchema, readReport, writeReportFiles, checkReport, type Report } from './report/index.js';
