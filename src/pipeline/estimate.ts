import { createHash } from 'node:crypto';
import { freemem } from 'node:os';
import { loadModel } from '../model/index.js';
import type { LanguageModel } from '../model/types.js';
import { reportSchema, type LayerUnitFitRows, type Report } from '../report/index.js';
import { formatStimuliJson } from '../stimuli/index.js';
import type { Stimuli } from '../stimuli/types.js';
import { UserError } from '../util/errors.js';
import { Progress } from '../util/progress.js';
import { randomStream } from './randomStreams.js';
import { analyzeFutureWindows, analyzeWindows, analyzeYoking, type AnalysisSettings } from './analyzeLayers.js';
import { assembleReport } from './assembleReport.js';
import type { EstimateOptions } from '../config/options/estimateRun.js';
import { measureStimuli, type Measurement } from './measureStimuli.js';
import { prepareStimuli, yokingDesignOf } from './prepareStimuli.js';
import { checkStimuliAgainstOptions } from './checkStimuliOptions.js';

export interface EstimateHooks {
  /** Where progress is drawn (only when it is a terminal and options.quiet is off). */
  progressStream?: NodeJS.WriteStream;
}

/** What a run produced: the validated report, every unit's fit (fits.csv) and the stimuli it measured. */
export interface EstimateRun {
  report: Report;
  unitFits: LayerUnitFitRows[];
  stimuli: Stimuli;
}

/** Confidence level of every bootstrap interval. */
const CONFIDENCE = 0.95;
/** Units refitted in each bootstrap replicate for the intervals of the median unit parameters. */
const BOOTSTRAP_UNITS = 16;

/**
 * `iw estimate` as a function: stimuli → activations → differences → windows → fits (and yoking) → report.
 * Everything random follows options.seed, so the same options give the same report except its timing fields.
 */
export async function estimate(options: EstimateOptions, hooks: EstimateHooks = {}): Promise<EstimateRun> {
  const startedAt = new Date();
  const modelName = options.model;
  const model = await loadModel({
    model: modelName, cacheDir: options.cacheDir, offline: options.offline, dtype: options.dtype,
    threads: options.threads, quiet: options.quiet, prefixSpace: options.prefixSpace, untrained: options.untrained ? { seed: options.seed } : undefined,
  });
  try {
    const layers = chooseLayers(model, options.layers);
    const stimuli = await prepareStimuli(options, model, modelName);
    const design = options.yoking ? yokingDesignOf(stimuli, options.stimuli ?? 'the yoking stimuli') : undefined;
    checkStimuliAgainstOptions(stimuli, options, design);
    const measurement = await measure(model, stimuli, layers, options, hooks);
    const settings: AnalysisSettings = {
      minSwap: options.minSwap, bootstrap: options.bootstrap, confidence: CONFIDENCE, bootstrapUnits: BOOTSTRAP_UNITS, seed: options.seed,
    };
    const status = new Progress({ label: 'analysing', total: 1, quiet: options.quiet, stream: hooks.progressStream });
    status.say(`fitting ${layers.length} layers × ${model.taps[0].width} unit windows${options.bootstrap > 0 ? `, then ${options.bootstrap} bootstrap replicates` : ''}…`);
    const findings = analyzeWindows(measurement.differences, settings);
    if (measurement.future) status.say('the future side (bidirectional model)…');
    const future = measurement.future ? analyzeFutureWindows(measurement.future, settings) : undefined;
    if (design) status.say('structure yoking…');
    const yoking = design ? analyzeYoking(measurement.differences, design, settings) : undefined;
    status.finish();
    const assembled = assembleReport({
      options, modelName, model, modelSha256: await model.resolved.sha256(), stimuli, stimuliSha256: stimuliDigest(stimuli),
      measurement, findings, future, yoking, design, startedAt, confidence: CONFIDENCE,
    });
    return { report: reportSchema.parse(assembled.report), unitFits: assembled.unitFits, stimuli };
  } finally {
    await model.dispose();
  }
}

async function measure(model: LanguageModel, stimuli: Stimuli, layers: number[], options: EstimateOptions, hooks: EstimateHooks): Promise<Measurement> {
  const progress = new Progress({
    label: 'measuring', total: stimuli.sequences.length, unit: 'sequences', quiet: options.quiet, stream: hooks.progressStream,
  });
  let done = 0, tokens = 0;
  try {
    return await measureStimuli(model, stimuli, {
      layers,
      maxLag: options.maxLag,
      engine: options.engine,
      keptBytesLimit: Math.min(2 * 1024 ** 3, freemem() / 4),
      random: randomStream(options.seed, 'sequenceGroups'),
      minSwap: options.minSwap,
      futureRandom: randomStream(options.seed, 'sequenceGroups'),
      onProgress: (sequencesDone, tokensComputed) => {
        progress.tick(sequencesDone - done, tokensComputed - tokens);
        done = sequencesDone;
        tokens = tokensComputed;
      },
    });
  } finally {
    progress.finish();
  }
}

/** The requested layers, checked against those the model has (all of them by default). */
function chooseLayers(model: LanguageModel, requested: number[] | undefined): number[] {
  const available = model.taps.map((tap) => tap.layer);
  if (!requested) return available;
  const missing = requested.filter((layer) => !available.includes(layer));
  if (missing.length > 0) {
    throw new UserError(`--layers: the model has no layer ${missing.join(', ')}; its layers are 0 to ${available[available.length - 1]} (see iw layers --model ...)`);
  }
  return [...new Set(requested)].sort((x, y) => x - y);
}

/** sha256 of the stimuli as written beside the report (canonical iw-stimuli/1 text). */
export function stimuliDigest(stimuli: Stimuli): string {
  return createHash('sha256').update(formatStimuliJson(stimuli)).digest('hex');
}

