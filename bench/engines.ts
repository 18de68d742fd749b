/**
 * `npm run bench`: the naive and fast engines side by side on real stimuli (issue 6), plus memory growth and
 * an `iw estimate`-sized job. Every measurement runs in a child process of this same script (--case).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isUserError } from '../src/util/errors.js';
import { writeFileAtomic } from '../src/util/atomicWrite.js';
import { parseBenchArgs } from './benchOptions.js';
import { formatBenchTables } from './formatTables.js';
import { runBench, type BenchResults } from './runBench.js';
import { runCaseFromArgument } from './runCase.js';

const entryScript = fileURLToPath(import.meta.url);
/** dist/bench/engines.js → the checkout; ../shared sits beside it. */
const sharedDir = resolve(dirname(entryScript), '..', '..', '..', 'shared');

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2), {
    model: resolve(sharedDir, 'models', 'gutenberg-gpt2-small'),
    corpus: resolve(sharedDir, 'corpora', 'brown'),
  });
  if (options.caseSpec !== undefined) return runCaseFromArgument(options.caseSpec);
  const results = await runBench(options, entryScript, (line) => process.stderr.write(`bench: ${line}\n`));
  process.stdout.write(`${formatBenchTables(results)}\n\n${JSON.stringify(summaryOf(results), null, 2)}\n`);
  if (options.json) writeFileAtomic(options.json, `${JSON.stringify(results, null, 2)}\n`);
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
