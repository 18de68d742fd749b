/** config/: its public face; other folders import it through this file. */
export { type AnyOptionSpec, defineOption, flagName, type OptionValues } from './option.js';
export { resolveOptions } from './resolve.js';
export { config, json, quiet, seed } from './options/common.js';
export { activationsOut, cacheDir, device, dtype, layers, model, modelLoading, offline, perWord, prefixSpace, revision, taps, text, threads, untrained } from './options/model.js';
export { type EstimateOptions, estimateOptionSpecs, estimateOptionsWith, recordedSettings, recordedSettingsSchema } from './options/estimateRun.js';
export { baseline, figuresOut, ignoreSettings, labels, tolerance } from './options/report.js';
export { defaultModelPath } from './defaultModel.js';
export { refuseYokingOnlyOptions, stats, stimuliOptions, stimuliOut } from './options/stimuli.js';
export { force, plots } from './options/estimate.js';
export { twinOut } from './options/randomize.js';
export { corpusOptions } from './options/corpus.js';
