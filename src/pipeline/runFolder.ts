import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { removeOnInterrupt, unpredictableTempPath, UserError } from '../util/index.js';
import { writeRun, type WriteRunOptions } from './writeRun.js';
import type { EstimateRun } from './estimate.js';

/**
 * A run's --out folder, checked before any work starts. A folder holding report.json holds a finished run: it is
 * refused (two runs' files would mix: the first run's yoking.csv beside the second's report), or with --force
 * replaced whole when the new run is written. Any other folder (new, empty, or an unfinished run's, whose
 * checkpoint the run resumes) is written in place.
 */
export interface RunFolder {
  readonly out: string;
  /** The finished run in `out` is replaced when the new one is written (--force). */
  readonly replacing: boolean;
}

/** The file whose presence marks a finished run: written last (src/report/writeReportFiles.ts). */
const FINISHED_MARK = 'report.json';

/** Checks --out for a run (see RunFolder); refuses a finished run's folder without --force. */
export function openRunFolder(out: string, force: boolean): RunFolder {
  const finished = join(out, FINISHED_MARK);
  if (!existsSync(finished)) return { out, replacing: false };
  if (!force) {
    throw new UserError(`--out ${out} holds a finished run (${finished}); choose another --out, or add --force to replace that folder whole`);
  }
  const target = resolve(out);
  const here = process.cwd();
  if (here === target || here.startsWith(target + sep)) {
    throw new UserError(`--out ${out} is the folder iw runs in (or holds it); --force would replace it: name the run folder from outside it`);
  }
  return { out, replacing: true };
}

/**
 * Writes a run into its folder (writeRun). Replacing a finished run, the files go to a new folder beside it,
 * which then takes the old one's place: the old folder is renamed aside, the new one renamed in, the old one
 * removed, so no file of the old run survives and a kill before the swap leaves the old run as it was. Returns
 * the paths written, as they are inside `out`.
 */
export function writeRunFolder(run: EstimateRun, folder: RunFolder, options: WriteRunOptions): string[] {
  if (!folder.replacing) return writeRun(run, folder.out, options);
  const out = resolve(folder.out);
  const fresh = unpredictableTempPath(out);
  mkdirSync(fresh);
  const forgetFresh = removeOnInterrupt(fresh);
  try {
    const files = writeRun(run, fresh, options);
    const old = unpredictableTempPath(out);
    renameSync(out, old);
    renameSync(fresh, out);
    rmSync(old, { recursive: true, force: true });
    return files.map((file) => join(folder.out, relative(fresh, file)));
  } finally {
    forgetFresh();
    rmSync(fresh, { recursive: true, force: true });
  }
}
