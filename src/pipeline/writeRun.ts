import { basename, join } from 'node:path';
import { writeReportFiles } from '../report/index.js';
import { writeStimuliFile } from '../stimuli/index.js';
import type { EstimateRun } from './estimate.js';

export interface WriteRunOptions {
  /** The figures and report.html (--no-plots turns them off). */
  plots: boolean;
}

/**
 * Writes a run's folder: stimuli.json (the exact stimuli, to rerun with --stimuli), windows.csv, fits.csv
 * (+ yoking.csv), the figures and report.html unless plots are off, and report.json last. When the report has
 * stage times, the writing's own time is added to provenance.stageSeconds.report, and run.report becomes the
 * report as written. Returns the paths written.
 */
export function writeRun(run: EstimateRun, dir: string, options: WriteRunOptions): string[] {
  const startedAt = performance.now();
  const stimuliPath = join(dir, 'stimuli.json');
  writeStimuliFile(stimuliPath, run.stimuli);
  const { report, files } = writeReportFiles(run.report, dir, {
    unitFits: run.unitFits,
    plots: options.plots,
    finishProvenance: ({ stageSeconds, ...provenance }) => stageSeconds
      ? { ...provenance, stageSeconds: { ...stageSeconds, report: stageSeconds.report + (performance.now() - startedAt) / 1000 } }
      : provenance,
  });
  run.report = report;
  return [...files, stimuliPath];
}

/** The default output folder: iw-<model>-<UTC time>, e.g. iw-gutenberg-gpt2-tiny-20261126-041502. */
export function defaultOutputFolder(modelName: string, when: Date): string {
  const model = basename(modelName.replace(/[\\/]+$/, '')).replace(/[^A-Za-z0-9._-]+/g, '-');
  const stamp = when.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `iw-${model}-${stamp}`;
}
