import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { createAnalysisRunner, type AnalysisRunner, type YokingDesign } from '../analysis/index.js';
import { loadModel } from '../model/index.js';
import type { LanguageModel } from '../model/types.js';
import { reportSchema, type LayerUnitFitRows, type Report } from '../report/index.js';
import { Checkpoint, checkpointPath, describeAccumulator, partialPath } from '../shard/checkpoint.js';
import type { PartialHeader } from '../shard/partialFile.js';
import { runIdentity } from '../shard/runIdentity.js';
import { resolveShard, shardShare, type Shard } from '../shard/shardSpec.js';
import { formatStimuliJson } from '../stimuli/index.js';
import type { Stimuli } from '../stimuli/types.js';
import { UserError } from '../util/errors.js';
import { packageVersion } from '../util/packageFile.js';
import { randomStream } from './randomStreams.js';
import { Progress } from '../util/progress.js';
import { analyzeFutureWindows, analyzeWindows, analyzeYoking, type AnalysisSettings } from './analyzeLayers.js';
import { assembleReport, modelFactsOf, settingsOf, type ModelFacts, type ShardRecord } from './assembleReport.js';
import type { EstimateOptions } from '../config/options/estimateRun.js';
import { KEPT_BYTES_LIMIT, measureStimuli, type Measurement } from './measureStimuli.js';
import { prepareStimuli, yokingDesignOf } from './prepareStimuli.js';
import { checkStimuliAgainstOptions } from './checkStimuliOptions.js';
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

/** `iw estimate --shard K/N`: measures the shard's share of the sequences and writes its partial result into `dir`. */
export async function estimateShard(options: EstimateOptions, dir: string, hooks: EstimateHooks = {}): Promise<ShardRun> {
  if (!options.shard) throw new Error('estimateShard: options.shard is not set');
  const shard = resolveShard(options.shard, options.shards);
  const { partial } = await measureRun(options, { ...hooks, checkpointDir: dir }, shard);
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
  const model = await timer.timeAsync('openModel', () => loadModel({
    model: modelName, cacheDir: options.cacheDir, offline: options.offline, dtype: options.dtype,
    threads: options.threads, quiet: options.quiet, prefixSpace: options.prefixSpace, untrained: options.untrained ? { seed: options.seed } : undefined,
    keepLogits: options.readout === 'output',
    taps: options.taps,
  }));
  try {
    refuseReadoutOfBidirectional(model, options);
    const layers = chooseLayers(model, options.layers);
    const { stimuli, design, stimuliText, stimuliSha256 } = await timer.timeAsync('stimuli', async () => {
      const stimuli = await prepareStimuli(options, model, modelName);
      const design = options.yoking ? yokingDesignOf(stimuli, options.stimuli ?? 'the yoking stimuli') : undefined;
      checkStimuliAgainstOptions(stimuli, options, design);
      const stimuliText = formatStimuliJson(stimuli);
      return { stimuli, design, stimuliText, stimuliSha256: createHash('sha256').update(stimuliText).digest('hex') };
    });
    // The model's facts are mostly the sha256 of its weights: counted with opening the model.
    const facts = await timer.timeAsync('openModel', () => modelFactsOf(model, stimuli));
    const settings = settingsOf(options, modelName);
    const share = shard ? shardShare(stimuli.sequences.length, shard) : null;
    const inShare = (s: number) => !share || (s >= share.from && s < share.to);
    const swapsInShare = stimuli.sequences.reduce((sum, sequence, s) => sum + (inShare(s) ? sequence.swaps.filter((w) => w !== null).length : 0), 0);
    const header = (accumulators: PartialHeader['accumulators'], width: number): PartialHeader => ({
      format: 'iw-partial/1',
      identity: runIdentity({ iw: packageVersion(), modelSha256: facts.sha256, stimuliSha256, settings }),
      shard: shard && share ? { index: shard.index, count: shard.count, sequences: [share.from, share.to] } : null,
      sequenceCount: stimuli.sequences.length,
      wordCount: stimuli.sequences[0].words.length,
      maxLag: options.maxLag,
      swaps: swapsInShare,
      accumulators,
      run: { modelName, model: facts, settings, layers, width },
      startedAt: startedAt.toISOString(),
    });
    if (model.bidirectional && shard) {
      throw new UserError('--shard: sharding a bidirectional model is not supported yet (its future side is not written to partial files); run it on one machine');
    }
    // Checkpoints hold the usual side's accumulator only, so a bidirectional run keeps none.
    const checkpointDir = (options.checkpoint || shard !== null) && !model.bidirectional ? hooks.checkpointDir : undefined;
    const notice = hooks.notice ?? ((line: string) => process.stderr.write(line));
    let checkpoint: Checkpoint | undefined;
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
      journal: checkpointDir !== undefined,
      sequences: share ? [share.from, share.to] : undefined,
      timer,
      progress: (total) => new Progress({ label: 'measuring', total, unit: 'sequences', quiet: options.quiet, stream: hooks.progressStream }),
      attach: (accumulator, readout) => {
        if (checkpointDir === undefined) return undefined;
        const accumulators = readout ? [accumulator, readout] : [accumulator];
        checkpoint = new Checkpoint({
          path: checkpointPath(checkpointDir, shard),
          header: header(accumulators.map(describeAccumulator), accumulator.width),
          stimuliText,
          accumulators,
          restart: options.restart,
          secondsBetweenWrites: options.checkpointEvery,
        });
        if (checkpoint.resumedSwaps > 0) {
          const done = doneSequences(stimuli, accumulator, inShare);
          notice(
            `iw: resuming from ${checkpoint.path}: ${done} of ${share ? share.to - share.from : stimuli.sequences.length} sequences already done (${checkpoint.resumedSwaps} of ${swapsInShare} swaps)\n`);
        }
        return checkpoint;
      },
    });
    const { statistics } = measurement;
    if (checkpoint && checkpoint.resumedSwaps > 0 && !options.quiet) {
      notice(`iw: this run computed ${statistics.forwardPassesRun} of the run's ${statistics.forwardPasses} forward passes; the others were done before it stopped\n`);
    }
    const measured: MeasuredRun = { modelName, model: facts, stimuli, stimuliSha256, design, measurement, startedAt };
    if (shard && share && checkpoint && checkpointDir !== undefined) {
      const path = partialPath(checkpointDir, shard);
      checkpoint.complete({
        swaps: swapsInShare, sequences: share.to - share.from, durationSeconds: (Date.now() - startedAt.getTime()) / 1000, statistics: { ...statistics },
      }, path);
      return { measured, partial: { partialPath: path, sequences: [share.from, share.to] } };
    }
    // No write here: what the last interval measured waits in the journal (Ctrl-C and SIGTERM still write it), so
    // a run shorter than --checkpoint-every writes no swaps at all, and a kill in the analysis loses one interval.
    return { measured, checkpoint };
  } finally {
    await model.dispose();
  }
}

/** Sequences of the share whose every swap is already measured. */
function doneSequences(stimuli: Stimuli, accumulator: { hasSwap(s: number, k: number): boolean }, inShare: (s: number) => boolean): number {
  let done = 0;
  stimuli.sequences.forEach((sequence, s) => {
    if (inShare(s) && sequence.swaps.every((w, k) => w === null || accumulator.hasSwap(s, k))) done++;
  });
  return done;
}

/** The output read-out is defined for causal models: a masked LM's logits predict a masked word, not the next one. */
function refuseReadoutOfBidirectional(model: LanguageModel, options: EstimateOptions): void {
  if (options.readout === 'output' && model.bidirectional) {
    throw new UserError(`--readout output: ${options.model} is a bidirectional (masked) model; the output read-out is the next-word prediction, defined for causal models only`);
  }
}

/** The requested layers, checked against those the model has (all of them by default). */
/**
 * The layers a run measures: those asked for, or every layer of the residual stream's width. One run measures
 * layers of one width; a last layer projected to another width (OPT-350m's project_out, which transformers
 * reports as its last hidden state) is measured in a run of its own (--layers with its index).
 */
function chooseLayers(model: LanguageModel, requested: number[] | undefined): number[] {
  const available = model.taps.map((tap) => tap.layer);
  const widthOf = (layer: number) => model.taps.find((tap) => tap.layer === layer)?.width ?? model.taps[0].width;
  if (!requested) return available.filter((layer) => widthOf(layer) === model.taps[0].width);
  const missing = requested.filter((layer) => !available.includes(layer));
  if (missing.length > 0) {
    throw new UserError(`--layers: the model has no layer ${missing.join(', ')}; its layers are 0 to ${available[available.length - 1]} (see iw layers --model ...)`);
  }
  const chosen = [...new Set(requested)].sort((x, y) => x - y);
  const other = chosen.find((layer) => widthOf(layer) !== widthOf(chosen[0]));
  if (other !== undefined) {
    throw new UserError(`--layers: layer ${chosen[0]} is ${widthOf(chosen[0])} units wide and layer ${other} ${widthOf(other)} (see iw layers); one run measures layers of one width, so measure them in separate runs`);
  }
  return chosen;
}

/** sha256 of the stimuli as written beside the report (canonical iw-stimuli/1 text). */
export function stimuliDigest(stimuli: Stimuli): string {
  return createHash('sha256').update(formatStimuliJson(stimuli)).digest('hex');
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
