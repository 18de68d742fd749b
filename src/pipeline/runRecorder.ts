import type { EstimateOptions } from '../config/index.js';
import type { EngineStatistics } from '../engine/index.js';
import type { DifferenceAccumulator, ReadoutAccumulator } from '../measure/index.js';
import { Checkpoint, checkpointPath, describeAccumulator, partialPath, runIdentity, type PartialHeader, type Shard, type ShardShare } from '../shard/index.js';
import type { Stimuli } from '../stimuli/index.js';
import { packageVersion } from '../util/index.js';
import type { ModelFacts } from './assembleReport.js';

/** What a run's recording needs to know of the run. */
export interface RecordedRun {
  options: EstimateOptions;
  modelName: string;
  model: ModelFacts;
  /** The run's settings as its report records them (settingsOf). */
  settings: Record<string, unknown>;
  layers: number[];
  stimuli: Stimuli;
  /** The stimuli as canonical iw-stimuli/1 text, and its sha256. */
  stimuliText: string;
  stimuliSha256: string;
  /** Shard K of N and its share of the sequences, or null for a whole run. */
  shard: Shard | null;
  share: ShardShare | null;
  startedAt: Date;
  /** Folder of the checkpoint, or undefined: none is kept. */
  checkpointDir: string | undefined;
  /** Lines shown even with --quiet. */
  notice: (line: string) => void;
}

/**
 * The one owner of what a run records on disk as it measures: its checkpoint (opened, or resumed, when the
 * accumulator is attached; appended to after batches), the notices of a resumed run, and, for a shard, the
 * partial result it becomes. measureRun only measures; this observes its batches.
 */
export class RunRecorder {
  /** Swaps of the run's share (its sequences' non-null swaps): what a complete part holds. */
  readonly swapsInShare: number;
  private checkpoint: Checkpoint | undefined;

  constructor(private readonly run: RecordedRun) {
    const { stimuli } = run;
    this.swapsInShare = stimuli.sequences.reduce((sum, sequence, s) => sum + (this.inShare(s) ? sequence.swaps.filter((w) => w !== null).length : 0), 0);
  }

  /** Whether swaps are recorded (the accumulator then keeps a journal of them). */
  get recording(): boolean {
    return this.run.checkpointDir !== undefined;
  }

  /**
   * Attaches the run's accumulator (and the output read-out's): opens the checkpoint (loading a resumed one into the accumulator, and saying
   * so) and returns what the engine calls after every batch; undefined when nothing is recorded.
   */
  attach(accumulator: DifferenceAccumulator, readout?: ReadoutAccumulator): { afterBatch(): void } | undefined {
    const { run } = this;
    if (run.checkpointDir === undefined) return undefined;
    // With --readout output the read-out's accumulator is stored second, swap by swap beside the layers'.
    const accumulators = readout ? [accumulator, readout] : [accumulator];
    const checkpoint = new Checkpoint({
      path: checkpointPath(run.checkpointDir, run.shard),
      header: this.header(accumulators.map(describeAccumulator), accumulator.width),
      stimuliText: run.stimuliText,
      accumulators,
      restart: run.options.restart,
      secondsBetweenWrites: run.options.checkpointEvery,
      notice: run.notice,
    });
    this.checkpoint = checkpoint;
    if (checkpoint.resumedSwaps > 0) {
      const sequences = run.share ? run.share.to - run.share.from : run.stimuli.sequences.length;
      run.notice(`iw: resuming from ${checkpoint.path}: ${this.doneSequences(accumulator)} of ${sequences} sequences already done (${checkpoint.resumedSwaps} of ${this.swapsInShare} swaps)\n`);
    }
    return checkpoint;
  }

  /**
   * After the measuring: says how much of a resumed run this one computed; a shard's checkpoint becomes its
   * partial result (returned). A whole run's checkpoint is returned as it is: what the last interval measured waits
   * in the journal (Ctrl-C and SIGTERM still write it), so a run shorter than --checkpoint-every writes no swaps
   * at all, and a kill in the analysis loses one interval.
   */
  finish(statistics: EngineStatistics): { checkpoint?: Checkpoint; partial?: { partialPath: string; sequences: [number, number] } } {
    const { checkpoint, run } = this;
    if (checkpoint && checkpoint.resumedSwaps > 0 && !run.options.quiet) {
      run.notice(`iw: this run computed ${statistics.forwardPassesRun} of the run's ${statistics.forwardPasses} forward passes; the others were done before it stopped\n`);
    }
    if (!(run.shard && run.share && checkpoint && run.checkpointDir !== undefined)) return { checkpoint };
    const path = partialPath(run.checkpointDir, run.shard);
    checkpoint.complete({
      swaps: this.swapsInShare, sequences: run.share.to - run.share.from, durationSeconds: (Date.now() - run.startedAt.getTime()) / 1000, statistics: { ...statistics },
    }, path);
    return { partial: { partialPath: path, sequences: [run.share.from, run.share.to] } };
  }

  /** The header of the run's checkpoint or partial file (docs/partial-format.md). */
  private header(accumulators: PartialHeader['accumulators'], width: number): PartialHeader {
    const { run } = this;
    return {
      format: 'iw-partial/1',
      identity: runIdentity({ iw: packageVersion(), modelSha256: run.model.sha256, stimuliSha256: run.stimuliSha256, settings: run.settings }),
      shard: run.shard && run.share ? { index: run.shard.index, count: run.shard.count, sequences: [run.share.from, run.share.to] } : null,
      sequenceCount: run.stimuli.sequences.length,
      wordCount: run.stimuli.sequences[0].words.length,
      maxLag: run.options.maxLag,
      swaps: this.swapsInShare,
      accumulators,
      run: { modelName: run.modelName, model: run.model, settings: run.settings, layers: run.layers, width },
      startedAt: run.startedAt.toISOString(),
    };
  }

  private inShare(s: number): boolean {
    return !this.run.share || (s >= this.run.share.from && s < this.run.share.to);
  }

  /** Sequences of the share whose every swap is already measured. */
  private doneSequences(accumulator: { hasSwap(s: number, k: number): boolean }): number {
    let done = 0;
    this.run.stimuli.sequences.forEach((sequence, s) => {
      if (this.inShare(s) && sequence.swaps.every((w, k) => w === null || accumulator.hasSwap(s, k))) done++;
    });
    return done;
  }
}
