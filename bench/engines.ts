/**
 * `npm run bench`: the naive and fast engines side by side on real stimuli (issue 6), plus memory growth and
 * an `iw estimate`-sized job; then whole `iw estimate` runs with their seconds per stage, and the PyTorch reference
 * (issue 11). Every measurement runs in a child process of this same script (--case, --whole-run, --logits-cost).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isUserError } from '../src/util/errors.js';
import { writeFileAtomic } from '../src/util/atomicWrite.js';
import { parseBenchArgs } from './benchOptions.js';
import { formatBenchTables } from './formatTables.js';
import { runBench, type BenchResults } from './runBench.js';
import { runCaseFromArgument } from './runCase.js';
import { formatWholeRuns } from './formatWholeRuns.js';
import { runWholeRuns } from './runWholeRuns.js';
import { runWholeRunFromArgument } from './wholeRunCase.js';
import { runLogitsCostFromArgument } from './logitsCostCase.js';

const entryScript = fileURLToPath(import.meta.url);
/** dist/bench/engines.js → the checkout; ../shared sits beside it. */
const sharedDir = resolve(dirname(entryScript), '..', '..', '..', 'shared');

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2), {
    model: resolve(sharedDir, 'models', 'gutenberg-gpt2-small'),
    corpus: resolve(sharedDir, 'corpora', 'brown'),
    gpt2Shape: process.env.IW_BENCH_GPT2_SHAPE || undefined,
  });
  if (options.caseSpec !== undefined) return runCaseFromArgument(options.caseSpec);
  if (options.wholeRunSpec !== undefined) return runWholeRunFromArgument(options.wholeRunSpec);
  if (options.logitsCostSpec !== undefined) return runLogitsCostFromArgument(options.logitsCostSpec);
  const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
  const results = options.wholeRunsOnly || options.readoutRunsOnly ? undefined : await runBench(options, entryScript, log);
  if (results) process.stdout.write(`${formatBenchTables(results)}\n\n${JSON.stringify(summaryOf(results), null, 2)}\n\n`);
  const wholeRuns = await runWholeRuns(options, entryScript, log);
  process.stdout.write(`${formatWholeRuns(wholeRuns)}\n`);
  if (options.json) writeFileAtomic(options.json, `${JSON.stringify({ ...(results ?? { format: 'iw-bench/1' }), wholeRuns }, null, 2)}\n`);
}

/** What stdout's JSON holds: everything but the raw per-case results (those go to --json). */
function summaryOf(results: BenchResults): Omit<BenchResults, 'cases'> {
  const { cases: _cases, ...summary } = results;
  return summary;
}

main().catch((error: unknown) => {
  if (isUserError(error)) {
    process.stderr.write(`bench: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  }
});
