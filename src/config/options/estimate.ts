import { z } from 'zod';
import { defaultWindowOptions } from '../../analysis/index.js';
import { defineOption, parseNumber, wholeNumber } from '../option.js';

/** Options of the measurement itself (iw estimate, iw yoking). */
export const maxLag = defineOption({
  name: 'maxLag',
  flag: '--max-lag <n>',
  description: 'longest lag, in words, at which a swap\'s effect is measured (the window has maxLag + 1 points)',
  effect: 'result',
  schema: wholeNumber(1, 200),
  parseFlag: parseNumber,
  defaultValue: 20,
});

export const minSwap = defineOption({
  name: 'minSwap',
  flag: '--min-swap <n>',
  description: 'first word position whose swap is used in windows (the authors skip the first words of a sequence)',
  effect: 'result',
  schema: wholeNumber(0, 1000),
  parseFlag: parseNumber,
  defaultValue: defaultWindowOptions.minSwap,
});

export const engine = defineOption({
  name: 'engine',
  flag: '--engine <kind>',
  description: 'fast: reuse the original\'s past keys/values and compute only the lag band (identical numbers); naive: N + 1 full passes per sequence, the reference',
  effect: 'runtime',
  schema: z.enum(['fast', 'naive'], { error: 'must be fast or naive' }),
  defaultValue: 'fast',
});

export const readout = defineOption({
  name: 'readout',
  flag: '--readout <what>',
  description: 'output: also measure the model\'s next-word prediction after each word (its log-probabilities as units, and the KL divergence of the swapped prediction from the original) beside the layers, on the same passes; causal models only',
  effect: 'result',
  schema: z.enum(['output'], { error: 'must be output' }),
});

export const stimuliFile = defineOption({
  name: 'stimuli',
  flag: '--stimuli <file>',
  description: 'reuse stimuli saved by an earlier run or by `iw stimuli` (iw-stimuli/1 JSON) instead of building them from --corpus',
  effect: 'runtime',
  schema: z.string().min(1),
});

export const out = defineOption({
  name: 'out',
  flag: '--out <dir>',
  description: 'folder for report.json, CSVs, plots and stimuli.json (default: a new folder iw-<model>-<time>)',
  effect: 'output',
  schema: z.string().min(1),
});

export const bootstrap = defineOption({
  name: 'bootstrap',
  flag: '--bootstrap <n>',
  description: 'bootstrap replicates over sequences for confidence intervals (0 = none); resamples stored differences, never re-runs the model',
  effect: 'result',
  schema: wholeNumber(0, 100_000),
  parseFlag: parseNumber,
  defaultValue: 0,
});

export const plots = defineOption({
  name: 'plots',
  flag: '--no-plots',
  description: 'do not write SVG plots and report.html',
  effect: 'output',
  schema: z.boolean(),
  defaultValue: true,
});

export const shard = defineOption({
  name: 'shard',
  effect: 'output',
  flag: '--shard <K/N|auto>',
  description: 'measure only shard K of N of the sequences (1-based) and write a partial result for iw merge instead of a report; auto: K and N from the scheduler (Slurm array, Kubernetes Indexed Job, AWS Batch, Google Batch)',
  schema: z.string().regex(/^\s*(auto|\d+\s*\/\s*\d+)\s*$/, { error: 'must be K/N (e.g. 2/3) or auto' }),
});

export const shards = defineOption({
  name: 'shards',
  effect: 'output',
  flag: '--shards <n>',
  description: 'with --shard auto: the number of shards, where the scheduler does not say it (Kubernetes Indexed Jobs; or set IW_SHARDS)',
  schema: wholeNumber(1, 1_000_000),
  parseFlag: parseNumber,
});

export const checkpoint = defineOption({
  name: 'checkpoint',
  effect: 'output',
  flag: '--no-checkpoint',
  description: 'do not keep a checkpoint in --out (by default a run keeps one as it goes, and the same command continues from it after a kill)',
  schema: z.boolean(),
  defaultValue: true,
});

export const checkpointEvery = defineOption({
  name: 'checkpointEvery',
  effect: 'output',
  flag: '--checkpoint-every <seconds>',
  description: 'seconds of measuring between checkpoint writes, the first that long after the start (0: after every batch); a kill loses at most this much, and a shorter run writes none',
  schema: wholeNumber(0, 86_400),
  parseFlag: parseNumber,
  defaultValue: 60,
});

export const force = defineOption({
  name: 'force',
  effect: 'output',
  flag: '--force',
  description: 'replace a finished run in --out: the new run is written beside it and renamed in, so no file of the old run is left (without it such a folder is refused)',
  schema: z.boolean(),
  defaultValue: false,
});

export const restart = defineOption({
  name: 'restart',
  effect: 'output',
  flag: '--restart',
  description: 'start over: discard a checkpoint left in --out by an earlier run instead of continuing it',
  schema: z.boolean(),
  defaultValue: false,
});
