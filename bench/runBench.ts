import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { EngineKind } from '../src/engine/index.js';
import { loadWordTokenizer, resolveModel } from '../src/model/index.js';
import type { WordTokenizer } from '../src/model/types.js';
import { writeStimuliFile } from '../src/stimuli/index.js';
import { RESULT_PREFIX, type CaseResult, type CaseSpec } from './benchCase.js';
import type { BenchOptions } from './benchOptions.js';
import { runChildForResult } from './childResult.js';
import { benchPlan, engineOrder, sequencesNeeded, splitIntoParts, type BenchPlan, type StimuliSize } from './benchPlan.js';
import { buildBenchStimuli, firstSequences, loadBenchCorpus, type BenchStimuli } from './benchStimuli.js';
import { memoryRow, memorySteps, summariseComparison, type ComparisonSummary, type MemoryRow, type MemoryStep } from './benchSummary.js';
import { longestTokenCount, sequenceTokenPositions, sumTokenPositions } from './tokenPositions.js';

export interface StimuliSetSummary {
  words: number;
  sequences: number;
  tooLong: number;
  contextLength: number;
  tokensPerWord: number;
  longestTokens: number;
  buildSeconds: number;
}

export interface EstimateJobSummary extends StimuliSize {
  engineUsed: string;
  swaps: number;
  seconds: number;
  forwardSeconds: number;
  modelLoadSeconds: number;
  tokensPerSecond: number;
  maxRss: number;
}

export interface BenchResults {
  format: 'iw-bench/1';
  startedAt: string;
  totalSeconds: number;
  machine: { cpus: number; cpuModel: string; memoryBytes: number; node: string; platform: string; loadAverageStart: number[]; loadAverageEnd: number[] };
  model: string;
  corpus: string;
  seed: number;
  plan: BenchPlan;
  stimuli: StimuliSetSummary[];
  comparisons: ComparisonSummary[];
  memory: { rows: MemoryRow[]; steps: MemoryStep[] };
  estimateJob: EstimateJobSummary;
  /** Every child's own result, in the order run. */
  cases: CaseResult[];
}

/**
 * The bench: builds the stimuli once, then runs every case in a child process (`entryScript --case ...`),
 * one after another, so that no two cases compete for the cores and each has a peak memory of its own.
 */
export async function runBench(options: BenchOptions, entryScript: string, log: (line: string) => void): Promise<BenchResults> {
  const startedAt = new Date();
  const loadAverageStart = loadavg();
  const plan = benchPlan(options.quick, options.parts);
  const workDir = mkdtempSync(join(tmpdir(), 'iw-bench-'));
  try {
    const { sets, summaries } = await prepareStimuliSets(options, plan, log);
    const runner = new CaseRunner(options, plan, entryScript, workDir, log);
    const comparisons: ComparisonSummary[] = [];
    for (const size of plan.comparisons) comparisons.push(await runComparison(runner, sets.get(size.words)!, size, plan));
    const rows: MemoryRow[] = [];
    for (const size of plan.memory) {
      rows.push(memoryRow(await runner.run(`memory ${describeSize(size)}`, 'fast', sets.get(size.words)!, 0, size.sequences), size));
    }
    const estimateJob = await runEstimateJob(runner, sets.get(plan.estimateJob.words)!, plan.estimateJob);
    return {
      format: 'iw-bench/1',
      startedAt: startedAt.toISOString(),
      totalSeconds: (Date.now() - startedAt.getTime()) / 1000,
      machine: {
        cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? 'unknown', memoryBytes: totalmem(),
        node: process.version, platform: `${process.platform}-${process.arch}`, loadAverageStart, loadAverageEnd: loadavg(),
      },
      model: options.model,
      corpus: options.corpus,
      seed: options.seed,
      plan,
      stimuli: summaries,
      comparisons,
      memory: { rows, steps: memorySteps(rows) },
      estimateJob,
      cases: runner.results,
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** One stimuli set per word count, with the model's tokenizer, from iw's default cleaning of the corpus. */
async function prepareStimuliSets(options: BenchOptions, plan: BenchPlan, log: (line: string) => void) {
  const resolved = await resolveModel({ model: options.model, quiet: true });
  const tokenizer: WordTokenizer = await loadWordTokenizer(resolved);
  log(`reading ${options.corpus}`);
  const clean = loadBenchCorpus(options.corpus);
  const sets = new Map<number, BenchStimuli>();
  const summaries: StimuliSetSummary[] = [];
  for (const [words, sequences] of sequencesNeeded(plan)) {
    log(`building ${describeSize({ words, sequences })}`);
    const startedAt = performance.now();
    const set = await buildBenchStimuli(clean, tokenizer, resolved.contextLength, { words, sequences }, options.seed);
    sets.set(words, set);
    const lengths = set.tokenized.map((t) => t.original.ids.length);
    summaries.push({
      words, sequences, tooLong: set.tooLong, contextLength: set.contextLength,
      tokensPerWord: lengths.reduce((a, b) => a + b, 0) / (words * sequences),
      longestTokens: Math.max(...set.tokenized.map(longestTokenCount)),
      buildSeconds: (performance.now() - startedAt) / 1000,
    });
  }
  return { sets, summaries };
}

/** naive and fast on the same stimuli, part by part, the order alternating between parts. */
async function runComparison(runner: CaseRunner, set: BenchStimuli, size: StimuliSize, plan: BenchPlan): Promise<ComparisonSummary> {
  const parts = splitIntoParts(size.sequences, plan.parts);
  const cases: CaseResult[] = [];
  for (const [part, [from, to]] of parts.entries()) {
    for (const engine of engineOrder(part)) {
      cases.push(await runner.run(`${describeSize(size)}, part ${part + 1}/${parts.length}`, engine, set, from, to));
    }
  }
  const positionsOf = (from: number, to: number) =>
    sumTokenPositions(set.tokenized.slice(from, to).map((t) => sequenceTokenPositions(t, plan.maxLag)));
  const partPositions = parts.map(([from, to]) => positionsOf(from, to));
  return summariseComparison(size, cases, positionsOf(0, size.sequences), partPositions);
}

async function runEstimateJob(runner: CaseRunner, set: BenchStimuli, size: StimuliSize): Promise<EstimateJobSummary> {
  const result = await runner.run(`estimate-sized job ${describeSize(size)}`, 'fast', set, 0, size.sequences);
  return {
    ...size,
    engineUsed: result.statistics.engine,
    swaps: result.swaps,
    seconds: result.statistics.seconds,
    forwardSeconds: result.forwardSeconds,
    modelLoadSeconds: result.modelLoadSeconds,
    tokensPerSecond: result.statistics.tokensComputed / result.statistics.seconds,
    maxRss: result.memory.maxRss,
  };
}

/** Writes a case's stimuli, runs the case in a child process, and keeps its result. */
class CaseRunner {
  readonly results: CaseResult[] = [];

  constructor(
    private readonly options: BenchOptions,
    private readonly plan: BenchPlan,
    private readonly entryScript: string,
    private readonly workDir: string,
    private readonly log: (line: string) => void,
  ) {}

  async run(label: string, engine: EngineKind, set: BenchStimuli, from: number, to: number): Promise<CaseResult> {
    const stimuliPath = join(this.workDir, `case-${this.results.length + 1}.json`);
    writeStimuliFile(stimuliPath, firstSequences(set, from, to));
    const spec: CaseSpec = { label, engine, stimuliPath, model: this.options.model, maxLag: this.plan.maxLag };
    this.log(`${engine.padEnd(5)} ${label} (load ${loadavg()[0].toFixed(1)})`);
    const result = await runChild(this.entryScript, spec);
    this.log(`      ${result.statistics.seconds.toFixed(1)} s, ${Math.round(result.statistics.tokensComputed / result.statistics.seconds)} tokens/s, peak RSS ${Math.round(result.memory.maxRss / 2 ** 20)} MiB`);
    this.results.push(result);
    return result;
  }
}

function runChild(entryScript: string, spec: CaseSpec): Promise<CaseResult> {
  return runChildForResult<CaseResult>(entryScript, '--case', spec, RESULT_PREFIX, `bench case "${spec.label}" (${spec.engine})`);
}

export function describeSize(size: StimuliSize): string {
  return `${size.sequences} sequence${size.sequences === 1 ? '' : 's'} of ${size.words} words`;
}
