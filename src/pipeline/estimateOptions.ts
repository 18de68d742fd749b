import { bootstrap, engine, maxLag, minSwap, out, plots, stimuliFile } from '../config/options/estimate.js';
import { config, json, quiet, seed } from '../config/options/common.js';
import { corpusOptions, type CorpusOptionValues } from '../config/options/corpus.js';
import { cacheDir, dtype, layers, model, offline, threads, untrained } from '../config/options/model.js';
import { stimuliOptions, type StimuliOptionValues } from '../config/options/stimuli.js';
import type { OptionSpec } from '../config/option.js';
import type { Dtype } from '../model/types.js';

/** Every option of `iw estimate`, in --help order; `iw yoking` takes the same. */
export const estimateOptionSpecs: OptionSpec[] = [
  { ...model, defaultDescription: 'gutenberg-gpt2-tiny, shipped with iw' }, ...corpusOptions, stimuliFile, ...stimuliOptions, maxLag, minSwap, layers, bootstrap, seed,
  engine, threads, dtype, cacheDir, offline, untrained, out, plots, json, quiet, config,
] as OptionSpec[];

/** The resolved options of a run: what the programmatic API `estimate()` takes. */
export type EstimateOptions = CorpusOptionValues & StimuliOptionValues & {
  model?: string;
  stimuli?: string;
  maxLag: number;
  minSwap: number;
  layers?: number[];
  bootstrap: number;
  seed: number;
  engine: 'fast' | 'naive';
  threads?: number;
  dtype: Dtype;
  cacheDir?: string;
  offline: boolean;
  untrained: boolean;
  out?: string;
  plots: boolean;
  json: boolean;
  quiet: boolean;
  config?: string;
};

/** Options that only say where output goes or how it is shown: not recorded as settings of the measurement. */
export const presentationOptions = new Set(['out', 'plots', 'json', 'quiet', 'config']);
