import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { maxLag, minSwap } from '../src/config/options/estimate.js';
import type { CleanCorpus } from '../src/corpus/types.js';
import { loadWordTokenizer, resolveModel } from '../src/model/index.js';
import { writeStimuliFile } from '../src/stimuli/index.js';
import { environmentWithoutHugePages } from '../src/cli/hugePages.js';
import { measureFirstTouch } from '../src/util/index.js';
import type { BenchOptions } from './benchOptions.js';
import { cliEnvironment, runChildForResult } from './childResult.js';
import { buildBenchStimuli, firstSequences, loadBenchCorpus, type BenchStimuli } from './benchStimuli.js';
import { findTorchPython, largestWindowDifference, runPytorchReference, type PytorchResult } from './pytorchReference.js';
import { GPT2_SHAPE_HINT, wholeRunPlan, type LogitsCostCase, type WholeRunCase } from './wholeRunPlan.js';
import { LOGITS_COST_PREFIX, type LogitsCostResult, type LogitsCostSpec } from './logitsCostCase.js';
import { WHOLE_RUN_PREFIX, type WholeRunResult, type WholeRunSpec } from './wholeRunCase.js';

/** One whole run, and the PyTorch reference on the same stimuli where the plan asks for it. */
export interface WholeRunRow {
  case: WholeRunCase;
  iw: WholeRunResult;
  pytorch?: PytorchResult;
  /** Largest |iw − PyTorch| over the population windows (same weights and stimuli: float32 rounding, amplified where differences are small). */
  windowDifference?: number;
  loadAverage: { before: number; after: number };
}

export interface WholeRunResults {
  rows: WholeRunRow[];
  /** Cases or parts left out, each saying why and how to have them. */
  skipped: string[];
  threads: number;
  /** Microseconds one first touch of a page (a minor fault) took here, measured before the runs. */
  microsecondsPerFault: number;
  /** The logits' own forward cost on the read-out runs' stimuli, per model (read-out plans only). */
  logitsCosts?: Array<LogitsCostCase & { result: LogitsCostResult }>;
}

/**
 * Runs every case of the whole-run plan, one child process at a time (so each has the cores and a peak memory of
 * its own), then the PyTorch reference of the cases that ask for it on the very stimuli iw measured.
 */
export async function runWholeRuns(options: BenchOptions, entryScript: string, log: (line: string) => void): Promise<WholeRunResults> {
  const gpt2Shape = options.gpt2Shape && existsSync(join(options.gpt2Shape, 'onnx', 'model.onnx')) ? options.gpt2Shape : undefined;
  const asTheCli = cliEnvironment();
  const plan = wholeRunPlan(options.quick, { bench: options.model, gpt2Shape }, asTheCli.relaunched && !options.readoutRunsOnly, options.readoutRunsOnly);
  const skipped = [...plan.skipped];
  if (!asTheCli.relaunched) skipped.push('no runs without huge pages beside: iw does not relaunch itself for them here (src/cli/hugePages.ts: needs Linux, glibc ≥ 2.35, transparent huge pages in madvise mode, first touches of pages costing at least 8 µs or IW_HUGE_PAGES=1, and IW_HUGE_PAGES not 0)');
  if (options.gpt2Shape && !gpt2Shape) skipped.push(`GPT-2-shape cases skipped: ${options.gpt2Shape} holds no onnx/model.onnx; ${GPT2_SHAPE_HINT}`);
  const python = options.skipPytorch ? { missing: 'PyTorch reference skipped (--skip-pytorch)' } : findTorchPython();
  if ('missing' in python && plan.cases.some((c) => c.pytorch)) skipped.push(python.missing);
  const workDir = mkdtempSync(join(tmpdir(), 'iw-bench-whole-'));
  try {
    log(`reading ${options.corpus}`);
    const corpus = loadBenchCorpus(options.corpus);
    const rows: WholeRunRow[] = [];
    const { microsecondsPerFault } = measureFirstTouch();
    log(`first touch of a 4 KiB page: ${microsecondsPerFault.toFixed(1)} µs`);
    for (const [index, wholeRun] of plan.cases.entries()) {
      const stimuli = await stimuliFor(corpus, wholeRun, options.seed);
      const stimuliPath = join(workDir, `whole-run-${index + 1}.json`);
      writeStimuliFile(stimuliPath, firstSequences(stimuli, 0, wholeRun.sequences));
      const label = `${wholeRun.modelLabel} ${wholeRun.sequences} × ${wholeRun.words} words, ${wholeRun.engine}${wholeRun.readout ? ' --readout output' : ''}${wholeRun.hugePages ? '' : ', without huge pages'}`;
      const before = loadavg()[0];
      log(`whole run: ${label} (load ${before.toFixed(1)})`);
      const env = wholeRun.hugePages ? asTheCli.env : environmentWithoutHugePages(process.env);
      const iw = await runWholeRunChild(entryScript, { label, model: wholeRun.model, stimuliPath, engine: wholeRun.engine, readout: wholeRun.readout }, env);
      log(`      ${iw.wallSeconds.toFixed(1)} s, peak RSS ${iw.maxRssKiB} KiB`);
      const row: WholeRunRow = { case: wholeRun, iw, loadAverage: { before, after: loadavg()[0] } };
      if (wholeRun.pytorch && 'python' in python) {
        log(`PyTorch reference: ${wholeRun.sequences} × ${wholeRun.words} words (load ${loadavg()[0].toFixed(1)})`);
        row.pytorch = await runPytorchReference(python.python, {
          modelDir: wholeRun.model, sequences: stimuli.tokenized.slice(0, wholeRun.sequences), maxLag: maxLag.defaultValue!,
          minSwap: minSwap.defaultValue!, threads: availableParallelism(), requestPath: join(workDir, `pytorch-${index + 1}.json`),
        });
        row.windowDifference = largestWindowDifference(iw.windows, row.pytorch.populationWindows);
        log(`      ${row.pytorch.totalSeconds.toFixed(1)} s (forward ${row.pytorch.forwardSeconds.toFixed(1)} s), peak RSS ${row.pytorch.maxRssKiB} KiB`);
        row.loadAverage.after = loadavg()[0];
      }
      rows.push(row);
    }
    const logitsCosts = [];
    for (const [index, costCase] of (plan.logitsCosts ?? []).entries()) {
      const stimuliPath = join(workDir, `logits-cost-${index + 1}.json`);
      writeStimuliFile(stimuliPath, firstSequences(await stimuliFor(corpus, costCase, options.seed), 0, costCase.sequences));
      const label = `${costCase.modelLabel} ${costCase.sequences} × ${costCase.words} words`;
      log(`logits' forward cost: ${label}, forward passes without logits, with every token's, with the read words' (load ${loadavg()[0].toFixed(1)})`);
      const spec: LogitsCostSpec = { label, model: costCase.model, stimuliPath };
      const result = await runChildForResult<LogitsCostResult>(entryScript, '--logits-cost', spec, LOGITS_COST_PREFIX, `bench logits' cost "${label}"`, asTheCli.env);
      logitsCosts.push({ ...costCase, result });
    }
    return { rows, skipped, threads: availableParallelism(), microsecondsPerFault, ...(plan.logitsCosts ? { logitsCosts } : {}) };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** The case's stimuli, built with its own model's tokenizer so that every version fits that model's context. */
async function stimuliFor(corpus: CleanCorpus, wholeRun: Pick<WholeRunCase, 'model' | 'words' | 'sequences'>, seed: number): Promise<BenchStimuli> {
  const resolved = await resolveModel({ model: wholeRun.model, quiet: true });
  const tokenizer = await loadWordTokenizer(resolved);
  return buildBenchStimuli(corpus, tokenizer, resolved.contextLength, wholeRun, seed);
}

function runWholeRunChild(entryScript: string, spec: WholeRunSpec, env: NodeJS.ProcessEnv): Promise<WholeRunResult> {
  return runChildForResult<WholeRunResult>(entryScript, '--whole-run', spec, WHOLE_RUN_PREFIX, `bench whole run "${spec.label}"`, env);
}
