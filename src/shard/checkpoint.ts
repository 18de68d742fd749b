import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DifferenceAccumulator, SwapEntry } from '../measure/index.js';
import { keepOnInterrupt, lstatOrNull, UserError } from '../util/index.js';
import { entryOf, PARTIAL_EXTENSION, PartialCutInHeader, PartialWriter, readPartial, readPartialHeader, type AccumulatorDescription, type PartialContents, type PartialEnd, type PartialHeader, type StoredSwap } from './partialFile.js';
import { identityDifferences } from './runIdentity.js';

/** What a checkpoint or partial result stores of an accumulator (DifferenceAccumulator; a future one likewise). */
export type StoredAccumulator = Pick<DifferenceAccumulator, 'name' | 'layers' | 'width' | 'entryLength' | 'addEntry' | 'hasSwap' | 'takeJournal' | 'journalLength'> & {
  readonly valuesPerSwap: string;
};

export function describeAccumulator(accumulator: StoredAccumulator): AccumulatorDescription {
  return { name: accumulator.name, layers: [...accumulator.layers], width: accumulator.width, valuesPerSwap: accumulator.valuesPerSwap };
}

/** The checkpoint file of a run in `dir`: iw-checkpoint.iwp, or iw-checkpoint-K-of-N.iwp for a shard. */
export function checkpointPath(dir: string, shard: { index: number; count: number } | null): string {
  return join(dir, shard ? `iw-checkpoint-${shard.index}-of-${shard.count}${PARTIAL_EXTENSION}` : `iw-checkpoint${PARTIAL_EXTENSION}`);
}

/** The partial result shard K of N writes into its --out folder. */
export function partialPath(dir: string, shard: { index: number; count: number }): string {
  return join(dir, `iw-partial-${shard.index}-of-${shard.count}${PARTIAL_EXTENSION}`);
}

export interface CheckpointOptions {
  path: string;
  header: PartialHeader;
  stimuliText: string;
  accumulators: StoredAccumulator[];
  /** Discard a checkpoint of another run (or of this one) and start over. */
  restart: boolean;
  /** Seconds of measuring between two writes, the first counted from the checkpoint's opening (0: after every batch). */
  secondsBetweenWrites: number;
  /** Lines shown even with --quiet (a checkpoint that holds nothing and is started over). Default: stderr. */
  notice?: (line: string) => void;
}

/**
 * A run's checkpoint: an iw-partial/1 file in --out, appended to as the run goes. After a batch of swaps, once
 * `secondsBetweenWrites` have passed since the last write (or the opening), the swaps waiting are appended as one
 * record and synced to disk: every record is whole or, cut short by a kill, ignored, so the file always holds the
 * last complete checkpoint. Opening one that exists resumes it: its swaps go back into the accumulators.
 *
 * Writing by time, not by swaps, bounds both what a kill loses and what checkpoints cost: every swap's differences
 * go to disk once (a 150-word run of gutenberg-gpt2-small writes 348 MB), which took a sixth of a 15-second run
 * when it was written every two sequences; a run shorter than the interval writes none.
 */
export class Checkpoint {
  readonly path: string;
  /** Swaps read back from an earlier run's checkpoint (0 when starting afresh). */
  readonly resumedSwaps: number;
  private writer: PartialWriter;
  private written = 0;
  private lastWrite = performance.now();
  private readonly forgetKeeper: () => void;

  constructor(private readonly options: CheckpointOptions) {
    this.path = options.path;
    let resumed = 0;
    mkdirSync(dirname(options.path), { recursive: true });
    const found = options.restart ? null : this.readHeader();
    if (found) {
      const differences = [
        ...identityDifferences(found.header.identity, options.header.identity, 'in the checkpoint', 'now'),
        ...shapeDifferences(found.header, options.header),
      ];
      if (differences.length > 0) {
        throw new UserError(`${options.path} is the checkpoint of another run; it differs in ${differences.join('; ')}. Rerun with the checkpoint's settings to continue it, or add --restart to discard it and start over`);
      }
      const contents = this.withRestartHint(() => readPartial(options.path, (swap: StoredSwap) => {
        options.accumulators.forEach((accumulator, a) => accumulator.addEntry(entryOf(swap, a)));
      }));
      if (contents.damage && !contents.damageAtEnd) {
        throw new UserError(`${options.path} is damaged (${contents.damage}, with records after it); add --restart to discard it and start over`);
      }
      resumed = contents.swaps;
      this.writer = PartialWriter.reopen(options.path, contents.validBytes);
    } else {
      rmSync(options.path, { force: true });
      this.writer = PartialWriter.create(options.path, options.header, options.stimuliText);
    }
    this.resumedSwaps = resumed;
    this.forgetKeeper = keepOnInterrupt(() => this.keepOnInterrupt());
  }

  /**
   * The checkpoint left in --out, or null where there is none, or none worth keeping: a file that is empty or ends
   * inside its header (a run killed while writing it) holds no swaps, and is started over with a notice. A
   * symbolic link at the checkpoint's name is refused: a checkpoint is never read or written through one.
   */
  private readHeader(): PartialContents | null {
    const path = this.options.path;
    const found = lstatOrNull(path);
    if (!found) return null;
    if (found.isSymbolicLink()) {
      throw new UserError(`${path} is a symbolic link; iw never reads or writes a checkpoint through one (it may have been planted by someone else): remove it and run again`);
    }
    try {
      return this.withRestartHint(() => readPartialHeader(path));
    } catch (error) {
      if (!(error instanceof PartialCutInHeader)) throw error;
      (this.options.notice ?? ((line: string) => process.stderr.write(line)))(`iw: ${path} holds no complete checkpoint (${error.reason}); starting over\n`);
      return null;
    }
  }

  /** Reads the checkpoint; a file that cannot be read says how to start over. */
  private withRestartHint<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (error instanceof UserError && !(error instanceof PartialCutInHeader)) throw new UserError(`${error.message}. As the checkpoint in --out: add --restart to discard it and start over`);
      throw error;
    }
  }

  /**
   * On SIGINT, SIGTERM or SIGHUP: appends what was measured since the last record (whole records only: signals
   * arrive between the run's steps) and says where it is kept.
   */
  private keepOnInterrupt(): string {
    try {
      this.flush();
      return `${this.path} keeps what was measured: run the same command again to continue`;
    } catch {
      return `${this.path} keeps the last complete checkpoint: run the same command again to continue`;
    }
  }

  /** After a batch: appends the swaps waiting once secondsBetweenWrites have passed since the last write. */
  afterBatch(): void {
    const due = performance.now() - this.lastWrite >= this.options.secondsBetweenWrites * 1000;
    if (due && this.options.accumulators[0].journalLength() > 0) this.flush();
  }

  /** Appends every swap waiting. */
  flush(): void {
    const journals: SwapEntry[][] = this.options.accumulators.map((accumulator) => accumulator.takeJournal());
    if (journals[0].length === 0) return;
    const byKey = journals.slice(1).map((journal) => new Map(journal.map((entry) => [`${entry.sequence}:${entry.swapPosition}`, entry.values])));
    const swaps: StoredSwap[] = journals[0].map((entry) => ({
      sequence: entry.sequence,
      swapPosition: entry.swapPosition,
      values: [entry.values, ...byKey.map((map) => {
        const values = map.get(`${entry.sequence}:${entry.swapPosition}`);
        if (!values) throw new Error(`checkpoint: accumulators disagree on swap (${entry.sequence}, ${entry.swapPosition})`);
        return values;
      })],
    }));
    this.writer.appendSwaps(swaps);
    this.written++;
    this.lastWrite = performance.now();
  }

  /** Marks the part complete (end record) and, for a shard, renames it to its partial name. */
  complete(end: PartialEnd, renameTo?: string): void {
    this.flush();
    this.writer.appendEnd(end);
    this.writer.close();
    if (renameTo) renameSync(this.path, renameTo);
    this.forgetKeeper();
  }

  /** Closes and deletes the checkpoint (the run's report is written). */
  remove(): void {
    this.writer.close();
    rmSync(this.path, { force: true });
    this.forgetKeeper();
  }

  /** Closes the file, leaving the checkpoint for a rerun (a run that failed). */
  close(): void {
    this.writer.close();
    this.forgetKeeper();
  }
}

function shapeDifferences(found: PartialHeader, expected: PartialHeader): string[] {
  const differences: string[] = [];
  const compare = (label: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) differences.push(`${label} (${JSON.stringify(a)} in the checkpoint, ${JSON.stringify(b)} now)`);
  };
  compare('shard', found.shard, expected.shard);
  compare('sequences', found.sequenceCount, expected.sequenceCount);
  compare('accumulators', found.accumulators, expected.accumulators);
  return differences;
}

