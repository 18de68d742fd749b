import { availableParallelism } from 'node:os';
import { createAnalysisRunner, type AnalysisRunner, type YokingDesign } from '../analysis/index.js';
import { effectiveEngine } from '../engine/index.js';
import { chooseDtype, chooseLayers, loadModel } from '../model/index.js';
import type { LanguageModel } from '../model/index.js';
import { reportSchema, type LayerUnitFitRows, type Report } from '../report/index.js';
import type { Checkpoint } from '../shard/index.js';
import { resolveShard, shardShare, type Shard } from '../shard/index.js';
import { formatStimuliJson, sha256OfStimuliText } from '../stimuli/index.js';
import type { Stimuli } from '../stimuli/index.js';
import { UserError } from '../util/index.js';
import { randomStream } from './randomStreams.js';
import { Progress } from '../util/index.js';
import { analyzeFutureWindows, analyzeWindows, analyzeYoking, type AnalysisSettings } from './analyzeLayers.js';
import { assembleReport, modelFactsOf, settingsOf, type ModelFacts, type ShardRecord } from './assembleReport.js';
import { exactPathWarning } from './exactPathWarning.js';
import type { EstimateOptions } from '../config/index.js';
import { modelLoading } from '../config/index.js';
import { KEPT_BYTES_LIMIT, measureStimuli, type Measurement } from './measureStimuli.js';
import { prepareStimuli, yokingDesignOf } from './prepareStimuli.js';
import { checkStimuliAgainstOptions } from './checkStimuliOptions.js';
import { RunRecorder } from './runRecorder.js';
import { StageTimer } from './stageTimer.js';

export interface EstimateHooks {
  /** Where progress is drawn (only when it is a terminal and options.quiet is off). */
  progressStream?: NodeJS.WriteStream;
  /** Folder for the run's checkpoint (the --out folder); without it no checkpoint is kept. */
  checkpointDir?: string;
  /** Lines shown even with --quiet (that a run is resuming). Default: stderr. */
  notice?: (line: string) => void;
}

/** What a run produced: the validated report, every unit's fit (fits.csv) and the stimuli it measured. */
export interface EstimateRun {
  report: Report;
  unitFits: LayerUnitFitRows[];
  stimuli: Stimuli;
  /** Deletes the run's checkpoint: call once the report is written. */
  discardCheckpoint: () => void;
}

/** What a shard run produced: its partial result. */
export interface ShardRun {
  partialPath: string;
  shard: Shard;
  /** The shard's sequences [from, to) (0-based). */
  sequences: [number, number];
}

/** A run measured (on one machine, or merged from shards), ready for the analysis. */
export interface MeasuredRun {
  modelName: string;
  model: ModelFacts;
  stimuli: Stimuli;
  stimuliSha256: string;
  design?: YokingDesign;
  measurement: Measurement;
  startedAt: Date;
  shards?: ShardRecord[];
}

/** Confidence level of every bootstrap interval. */
const CONFIDENCE = 0.95;
/** Units refitted in each bootstrap replicate for the intervals of the median unit parameters. */
const BOOTSTRAP_UNITS = 16;

/**
 * `iw estimate` as a function: stimuli → activations → differences → windows → fits (and yoking) → report.
 * Everything random follows options.seed, so the same options give the same report except its timing fields.
 * With hooks.checkpointDir it keeps a checkpoint there and continues one left by an interrupted run.
 */
export async function estimate(options: EstimateOptions, hooks: EstimateHooks = {}): Promise<EstimateRun> {
  if (options.shard) throw new UserError('--shard writes a partial result, not a report: use estimateShard (iw estimate --shard K/N --out DIR)');
  options = withDtype(options, hooks);
  const timer = new StageTimer();
  const { measured, checkpoint } = await measureRun(options, hooks, null, timer);
  try {
    const run = await analyzeMeasured(options, measured, hooks, timer);
    return { ...run, discardCheckpoint: () => checkpoint?.remove() };
  } catch (error) {
    checkpoint?.close();
    throw error;
  }
}

/** The options with the dtype that runs when none was asked for (chooseDtype), so that the report records it. */
function withDtype(options: EstimateOptions, hooks: EstimateHooks): EstimateOptions {
  return { ...options, dtype: chooseDtype(options.model, options.dtype, hooks.notice) };
}

/** `iw estimate --shard K/N`: measures the shard's share of the sequences and writes its partial result into `dir`. */
export async function estimateShard(options: EstimateOptions, dir: string, hooks: EstimateHooks = {}): Promise<ShardRun> {
  if (!options.shard) throw new Error('estimateShard: options.shard is not set');
  const shard = resolveShard(options.shard, options.shards);
  const { partial } = await measureRun(withDtype(options, hooks), { ...hooks, checkpointDir: dir }, shard);
  if (!partial) throw new Error('estimateShard: the shard wrote no partial result');
  return { ...partial, shard };
}

/**
 * Windows, fits, comparison, bootstrap and yoking of a measured run, assembled into the validated report. With a
 * timer, the report's provenance.stageSeconds gives the timer's stages (writeRun adds the writing's time).
 */
export async function analyzeMeasured(
  options: EstimateOptions, measured: MeasuredRun, hooks: EstimateHooks, timer?: StageTimer,
): Promise<Omit<EstimateRun, 'discardCheckpoint'>> {
  const { measurement, stimuli, design } = measured;
  const settings: AnalysisSettings = {
    minSwap: options.minSwap, bootstrap: options.bootstrap, confidence: CONFIDENCE, bootstrapUnits: BOOTSTRAP_UNITS, seed: options.seed,
  };
  if (options.bootstrap > 0 && measurement.differences.partCount < 2) {
    throw new UserError(`--bootstrap needs at least 2 sequences to resample; the stimuli have ${stimuli.sequences.length}`);
  }
  const layerCount = measurement.differences.layers.length;
  const status = new Progress({ label: 'analysing', total: 1, quiet: options.quiet, stream: hooks.progressStream });
  status.say(`fitting ${layerCount} layers × ${measurement.differences.width} unit windows${options.bootstrap > 0 ? `, then ${options.bootstrap} bootstrap replicates` : ''}…`);
  // Unit fits and bootstrap replicates run on every core (--threads); results do not depend on how many.
  const runner = createAnalysisRunner(options.threads ?? availableParallelism());
  const { findings, future, readout } = await analyzeBothSides(measurement, settings, runner, status, timer).finally(() => runner.close());
  if (design) status.say('structure yoking…');
  const yoking = design ? analyzeYoking(measurement.differences, design, settings, timer) : undefined;
  status.finish();
  const reportStartedAt = performance.now();
  const assembled = assembleReport({
    options, modelName: measured.modelName, model: measured.model, stimuli, stimuliSha256: measured.stimuliSha256,
    measurement, findings, future, readout, yoking, design, startedAt: measured.startedAt, confidence: CONFIDENCE, shards: measured.shards,
  });
  if (timer) {
    timer.add('report', (performance.now() - reportStartedAt) / 1000);
    assembled.report.provenance.stageSeconds = timer.seconds();
  }
  return { report: reportSchema.parse(assembled.report), unitFits: assembled.unitFits, stimuli };
}

/** Loads the model and stimuli and measures every sequence (or a shard's share), with a checkpoint where asked. */
async function measureRun(options: EstimateOptions, hooks: EstimateHooks, shard: Shard | null, timer = new StageTimer()): Promise<{
  measured: MeasuredRun; checkpoint?: Checkpoint; partial?: { partialPath: string; sequences: [number, number] };
}> {
  const startedAt = new Date();
  const modelName = options.model;
  const model = await timer.timeAsync('openModel', () => loadModel({ ...modelLoading(options), logits: options.readout === 'output' ? 'rows' : 'none' }));
  try {
    refuseReadoutOfBidirectional(model, options);
    const layers = chooseLayers(model, options.layers);
    const { stimuli, design, stimuliText, stimuliSha256 } = await timer.timeAsync('stimuli', async () => {
      const stimuli = await prepareStimuli(options, model, modelName);
      const design = options.yoking ? yokingDesignOf(stimuli, options.stimuli ?? 'the yoking stimuli') : undefined;
      checkStimuliAgainstOptions(stimuli, options, design);
      const stimuliText = formatStimuliJson(stimuli);
      return { stimuli, design, stimuliText, stimuliSha256: sha256OfStimuliText(stimuliText) };
    });
    // The model's facts are mostly the sha256 of its weights: counted with opening the model.
    const facts = await timer.timeAsync('openModel', () => modelFactsOf(model, stimuli));
    const settings = settingsOf(options, modelName);
    const share = shard ? shardShare(stimuli.sequences.length, shard) : null;
    if (model.bidirectional && shard) {
      throw new UserError('--shard: sharding a bidirectional model is not supported yet (its future side is not written to partial files); run it on one machine');
    }
    // Checkpoints hold the usual side's accumulator only, so a bidirectional run keeps none.
    const checkpointDir = (options.checkpoint || shard !== null) && !model.bidirectional ? hooks.checkpointDir : undefined;
    const notice = hooks.notice ?? ((line: string) => process.stderr.write(line));
    if (facts.inexactPast) notice(exactPathWarning(modelName, facts.inexactPast, effectiveEngine(options.engine, model)));
    const recorder = new RunRecorder({
      options, modelName, model: facts, settings, layers, stimuli, stimuliText, stimuliSha256, shard, share, startedAt, checkpointDir, notice,
    });
    const measurement = await measureStimuli(model, stimuli, {
      layers,
      maxLag: options.maxLag,
      engine: options.engine,
      keptBytesLimit: KEPT_BYTES_LIMIT,
      random: randomStream(options.seed, 'sequenceGroups'),
      minSwap: options.minSwap,
      futureRandom: randomStream(options.seed, 'sequenceGroups'),
      readout: options.readout === 'output',
      readoutRandom: randomStream(options.seed, 'sequenceGroups'),
      keepPooledOnly: shard !== null,
      journal: recorder.recording,
      sequences: share ? [share.from, share.to] : undefined,
      timer,
      progress: (total) => new Progress({ label: 'measuring', total, unit: 'sequences', quiet: options.quiet, stream: hooks.progressStream }),
      attach: (accumulator, readout) => recorder.attach(accumulator, readout),
    });
    const measured: MeasuredRun = { modelName, model: facts, stimuli, stimuliSha256, design, measurement, startedAt };
    return { measured, ...recorder.finish(measurement.statistics) };
  } finally {
    await model.dispose();
  }
}

/** The output read-out is defined for causal models: a masked LM's logits predict a masked word, not the next one. */
function refuseReadoutOfBidirectional(model: LanguageModel, options: EstimateOptions): void {
  if (options.readout === 'output' && model.bidirectional) {
    throw new UserError(`--readout output: ${options.model} is a bidirectional (masked) model; the output read-out is the next-word prediction, defined for causal models only`);
  }
}

/** The usual side's findings, the future side's for a bidirectional model, and the output read-out's when asked, on one worker pool. */
async function analyzeBothSides(measurement: Measurement, settings: AnalysisSettings, runner: AnalysisRunner, status: Progress, timer?: StageTimer) {
  const findings = await analyzeWindows(measurement.differences, settings, runner, timer);
  const readout = measurement.readout ? await analyzeReadout(measurement.readout, settings, runner, status, timer) : undefined;
  if (!measurement.future) return { findings, future: undefined, readout };
  status.say('the future side (bidirectional model)…');
  return { findings, future: await analyzeFutureWindows(measurement.future, settings, runner, timer), readout };
}

/** The output read-out's two quantities, analysed as a layer is (the same bootstrap replicates draw the same sequences). */
function analyzeReadout(readout: NonNullable<Measurement['readout']>, settings: AnalysisSettings, runner: AnalysisRunner, status: Progress, timer?: StageTimer) {
  status.say('the output read-out…');
  return analyzeWindows(readout, settings, runner, timer);
}
