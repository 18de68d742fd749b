/**
 * `npm run bench:check`: how often `iw check`'s default rules call a rerun with another seed a drift (docs/check.md).
 * Runs `iw estimate` on the shipped tiny model with seeds 1..N (new stimuli and a new bootstrap each time), then
 * checks every report against every other one as its baseline. Every drift is a false alarm: nothing changed but
 * the seed. Reports are kept in --out, so an interrupted measurement resumes where it stopped.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { estimate, estimateOptionSpecs, writeRun, type EstimateOptions } from '../src/pipeline/index.js';
import { resolveOptions } from '../src/config/resolve.js';
import { readReport, type Report } from '../src/report/index.js';
import { isUserError, UserError } from '../src/util/errors.js';
import { formatFalseAlarmTally, tallyFalseAlarms } from './falseAlarmTally.js';

const USAGE = `usage: npm run bench:check -- [--runs N] [--out DIR] [any iw estimate flag given as --set key=value]
  --runs N     reruns, with seeds 1..N (default 20)
  --out DIR    where the reruns' folders go (default /tmp/iw-check-false-alarms); existing reports are reused
  --set k=v    an iw estimate option (config key) for every rerun, e.g. --set bootstrap=100 (repeatable)
defaults: the shipped tiny model and corpus, sequences=40, words=30, maxLag=10, bootstrap=50`;

const SMALL_RUN = { sequences: 40, words: 30, maxLag: 10, bootstrap: 50 };

async function main(): Promise<void> {
  const { runs, out, settings } = parseCommandLine(process.argv.slice(2));
  const reports: Report[] = [];
  for (let seed = 1; seed <= runs; seed++) reports.push(await rerun({ ...settings, seed }, join(out, `seed-${seed}`)));
  process.stdout.write(`settings: ${JSON.stringify(settings)}\n${formatFalseAlarmTally(tallyFalseAlarms(reports))}\n`);
}

/** One rerun's report: read back when its folder holds one made with the same settings, else run and written. */
async function rerun(settings: Record<string, unknown>, folder: string): Promise<Report> {
  const options = resolveOptions(estimateOptionSpecs, { ...settings, quiet: true, plots: false });
  const path = join(folder, 'report.json');
  if (existsSync(path)) {
    const kept = readReport(path);
    if (sameSettings(kept, options)) return kept;
  }
  process.stderr.write(`bench: seed ${options.seed}…\n`);
  const run = await estimate(options);
  writeRun(run, folder, { plots: false });
  return run.report;
}

function sameSettings(report: Report, options: EstimateOptions): boolean {
  const wanted = ['seed', 'sequences', 'words', 'maxLag', 'bootstrap', 'prefixSpace'] as const;
  return wanted.every((key) => JSON.stringify(report.settings[key]) === JSON.stringify(options[key]));
}

function parseCommandLine(argv: string[]): { runs: number; out: string; settings: Record<string, unknown> } {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { runs: { type: 'string', default: '20' }, out: { type: 'string', default: '/tmp/iw-check-false-alarms' }, set: { type: 'string', multiple: true } } }));
  } catch (error) {
    throw new UserError(`${(error as Error).message}\n${USAGE}`);
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 2 || runs > 1000) throw new UserError(`--runs must be a whole number from 2 to 1000 (got ${JSON.stringify(values.runs)})`);
  const settings: Record<string, unknown> = { ...SMALL_RUN };
  for (const pair of values.set ?? []) {
    const at = pair.indexOf('=');
    if (at < 1) throw new UserError(`--set must be key=value, e.g. bootstrap=100 (got ${JSON.stringify(pair)})\n${USAGE}`);
    settings[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return { runs, out: values.out, settings };
}

main().catch((error: unknown) => {
  process.stderr.write(isUserError(error) ? `bench: ${error.message}\n` : `${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = isUserError(error) ? 2 : 1;
});
