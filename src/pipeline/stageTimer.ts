import { STAGES, type StageName, type StageSeconds } from '../report/index.js';

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
