import type { z } from 'zod';
import { bootstrap, checkpoint, checkpointEvery, engine, force, maxLag, minSwap, out, plots, readout, restart, shard, shards, stimuliFile } from './estimate.js';
import { config, json, quiet, seed } from './common.js';
import { corpusOptions } from './corpus.js';
import { cacheDir, device, dtype, layers, modelWithDefault, offline, prefixSpace, revision, taps, threads, untrained } from './model.js';
import { stimuliOptions } from './stimuli.js';
import { optionValuesSchema, type OptionEffect, type OptionValues } from '../option.js';

/** Every option of `iw estimate`, in --help order; `iw yoking` takes the same. */
export const estimateOptionSpecs = [
  modelWithDefault, revision, ...corpusOptions, stimuliFile, ...stimuliOptions, maxLag, minSwap, layers, taps, readout, prefixSpace, bootstrap, seed,
  engine, threads, device, dtype, cacheDir, offline, untrained, out, force, shard, shards, checkpoint, checkpointEvery, restart, plots, json, quiet, config,
] as const;

/** The resolved options of a run: what the programmatic API `estimate()` takes. */
export type EstimateOptions = OptionValues<typeof estimateOptionSpecs>;

/** Names of the options of a run with the given effects on its numbers. */
export function estimateOptionsWith(...effects: OptionEffect[]): string[] {
  return estimateOptionSpecs.filter((spec) => effects.includes(spec.effect)).map((spec) => spec.name);
}

type RecordedSpec = Extract<(typeof estimateOptionSpecs)[number], { effect: 'result' | 'runtime' }>;

/**
 * The options a report records as its settings: every option that shapes the measurement or how it ran (effect
 * `result` or `runtime`), keyed by option name, which is also the config-file key (never the flag); options that
 * only say where output goes are left out.
 */
const recordedSpecs = estimateOptionSpecs.filter((spec): spec is RecordedSpec => spec.effect !== 'output');

/** The schema of a report's settings (src/report/schema.ts adds what it requires): exactly the recorded options. */
export const recordedSettingsSchema = optionValuesSchema(recordedSpecs);

/** A run's settings as a report records them; seed and maxLag always have a value. */
type RecordedSettings = z.input<typeof recordedSettingsSchema> & Pick<EstimateOptions, 'seed' | 'maxLag'>;

/** A run's settings as a report records them (see recordedSpecs). */
export function recordedSettings(options: EstimateOptions): RecordedSettings {
  const recorded: Record<string, unknown> = {};
  for (const { name } of recordedSpecs) {
    const value = (options as Record<string, unknown>)[name];
    if (value !== undefined) recorded[name] = value;
  }
  return recorded as RecordedSettings;
}
