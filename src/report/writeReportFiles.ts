import { fileInside } from '../util/index.js';
import { writeFileAtomic } from '../util/index.js';
import { fitsCsv, type LayerUnitFitRows } from './fitsCsv.js';
import { reportSchema, type Report, type ReportInput } from './schema.js';
import { describeIssues } from './schemaIssues.js';
import { windowsCsv } from './windowsCsv.js';
import { writePlots } from './writePlots.js';
import { serializeReport } from './writeReportJson.js';
import { yokingCsv } from './yokingCsv.js';

export interface ReportFileOptions {
  /** Every unit's fit, for fits.csv (not kept in report.json: too many). Without it, no fits.csv is written. */
  unitFits?: readonly LayerUnitFitRows[];
  /** Write the SVG figures and report.html (default true; `iw estimate --no-plots` turns it off). */
  plots?: boolean;
  /**
   * Called once every other file is written, just before report.json: returns the provenance report.json records
   * (writeRun adds the writing's own time to provenance.stageSeconds here).
   */
  finishProvenance?: (provenance: Report['provenance']) => Report['provenance'];
}

/**
 * Everything `iw estimate` leaves in its output folder: report.json (validated first: nothing is written for an
 * invalid report), windows.csv, fits.csv, yoking.csv when there is yoking, and the figures with report.html.
 * Returns the validated report and the paths written.
 */
export function writeReportFiles(input: ReportInput, dir: string, options: ReportFileOptions = {}): { report: Report; files: string[] } {
  const parsed = reportSchema.safeParse(input);
  if (!parsed.success) throw new Error(`refusing to write an invalid report: ${describeIssues(parsed.error, input, 10)}`);
  const report = parsed.data;
  const contents: [string, string][] = [['windows.csv', windowsCsv(report)]];
  if (options.unitFits) contents.push(['fits.csv', fitsCsv(options.unitFits, report)]);
  const yoking = yokingCsv(report);
  if (yoking !== undefined) contents.push(['yoking.csv', yoking]);
  const reportPath = fileInside(dir, 'report.json');
  // Everything is built before anything is written, so a failure leaves no half set of files; report.json comes
  // last, so that a folder holding it is complete.
  const files: string[] = [reportPath];
  for (const [name, text] of contents) {
    const path = fileInside(dir, name);
    writeFileAtomic(path, text);
    files.push(path);
  }
  if (options.plots ?? true) files.push(...writePlots(report, dir));
  const finished: Report = options.finishProvenance ? { ...report, provenance: options.finishProvenance(report.provenance) } : report;
  writeFileAtomic(reportPath, serializeReport(finished));
  return { report: finished, files };
}
