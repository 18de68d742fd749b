import type { EngineKind, EngineStatistics } from '../src/engine/index.js';

/** One measurement, run in a process of its own so that its peak resident set is its own. */
export interface CaseSpec {
  /** What the case is for, e.g. "150 words part 1/2". */
  label: string;
  engine: EngineKind;
  stimuliPath: string;
  model: string;
  maxLag: number;
}

/** Bytes, measured around the timed run (see runCase). */
export interface CaseMemory {
  /** Resident set after loading the model and the warm-up, just before the run. */
  rssBeforeRun: number;
  /** The kernel's peak resident set of the whole child process (model load and warm-up included). */
  maxRss: number;
  /** V8 heap in use + external (ArrayBuffers) just before the run, and the peak sampled every 20 ms between forward passes. */
  heapAndExternalBeforeRun: number;
  heapAndExternalPeak: number;
  /** The difference accumulator's bands (measure/keptBytes): pooled float64 sums plus one float32 band per sequence. */
  keptBytes: number;
  /** The fast engine's kept keys/values of the original sequences (0 for other engines). */
  pastBytes: number;
}

export interface CaseResult {
  spec: CaseSpec;
  statistics: EngineStatistics;
  /** Wall seconds spent inside model.forward (the rest of statistics.seconds is the engine's own work). */
  forwardSeconds: number;
  modelLoadSeconds: number;
  sequences: number;
  swaps: number;
  threads: number;
  memory: CaseMemory;
  /** os.loadavg() (1, 5, 15 minutes) just before and just after the run. */
  loadAverage: { before: number[]; after: number[] };
}

/** The line a child prints its result on, so that anything else a library writes to stdout is ignored. */
export const RESULT_PREFIX = 'iw-bench-result ';
