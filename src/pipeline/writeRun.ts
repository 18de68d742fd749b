import { basename, join } from 'node:path';
import { writeReportFiles } from '../report/index.js';
import { writeStimuliFile } from '../stimuli/index.js';
import type { EstimateRun } from './estimate.js';

/**
 * Writes a run's folder: report.json, windows.csv, fits.csv (+ yoking.csv), the figures and report.html unless
 * plots are off, and stimuli.json (the exact stimuli, to rerun with --stimuli). Returns the paths written.
 */
export function writeRun(run: EstimateRun, dir: string, options: { plots: boolean }): string[] {
  const { files } = writeReportFiles(run.report, dir, { unitFits: run.unitFits, plots: options.plots });
  const stimuliPath = join(dir, 'stimuli.json');
  writeStimuliFile(stimuliPath, run.stimuli);
  return [...files, stimuliPath];
}

/** The default output folder: iw-<model>-<UTC time>, e.g. iw-gutenberg-gpt2-tiny-20261126-041502. */
export function defaultOutputFolder(modelName: string, when: Date): string {
  const model = basename(modelName.replace(/[\\/]+$/, '')).replace(/[^A-Za-z0-9._-]+/g, '-');
  const stamp = when.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `iw-${model}-${stamp}`;
}
