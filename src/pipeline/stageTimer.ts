/**
 * The stages of an `iw estimate` run whose wall time a report records (provenance.stageSeconds), so that the next
 * bottleneck is visible (docs/performance.md):
 * - openModel: loading the model (graph edit, session) and its facts (sha256 of the weights);
 * - stimuli: making or reading the stimuli and checking them;
 * - forward: the engine's forward passes and its own work around them, checkpoint writes between batches included
 *   (everything in the engine but differences);
 * - differences: accumulating the differences, timed where the engine hands activations to the accumulator;
 * - fits: windows, unit and population fits, the model comparison, structure yoking;
 * - bootstrap: the bootstrap replicates (windows and yoking);
 * - report: assembling and validating the report, and writing its files.
 */
export const STAGES = ['openModel', 'stimuli', 'forward', 'differences', 'fits', 'bootstrap', 'report'] as const;

export type StageName = (typeof STAGES)[number];

/** Seconds of every stage (0 for a stage the run did not have). */
export type StageSeconds = Record<StageName, number>;

/** Adds up wall time per stage; a stage may be timed in several pieces. */
export class StageTimer {
  private readonly totals = new Map<StageName, number>();

  /** `now` gives milliseconds (performance.now by default; a test gives its own clock). */
  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Runs `work` and adds its wall time to `stage`, also when it throws. */
  time<T>(stage: StageName, work: () => T): T {
    const startedAt = this.now();
    try {
      return work();
    } finally {
      this.add(stage, (this.now() - startedAt) / 1000);
    }
  }

  /** Awaits `work` and adds its wall time to `stage`, also when it rejects. */
  async timeAsync<T>(stage: StageName, work: () => Promise<T>): Promise<T> {
    const startedAt = this.now();
    try {
      return await work();
    } finally {
      this.add(stage, (this.now() - startedAt) / 1000);
    }
  }

  /** Adds seconds measured elsewhere to `stage`. */
  add(stage: StageName, seconds: number): void {
    this.totals.set(stage, (this.totals.get(stage) ?? 0) + seconds);
  }

  /** Seconds so far of one stage. */
  secondsOf(stage: StageName): number {
    return this.totals.get(stage) ?? 0;
  }

  /** Seconds so far of every stage, in STAGES order. */
  seconds(): StageSeconds {
    return Object.fromEntries(STAGES.map((stage) => [stage, this.secondsOf(stage)])) as StageSeconds;
  }
}
