import { readReport } from '../readReport.js';
import { checkReport, type CheckResult } from './checkReport.js';
import { readToleranceFile } from './tolerance.js';

export interface CheckFilesOptions {
  tolerancePath?: string;
  ignoreSettings?: readonly string[];
}

/** Reads a report, its baseline and an optional tolerance file, and checks one against the other. */
export function checkReportFiles(reportPath: string, baselinePath: string, options: CheckFilesOptions = {}): { result: CheckResult; maxLag: number } {
  const report = readReport(reportPath);
  const baseline = readReport(baselinePath);
  const tolerances = options.tolerancePath ? readToleranceFile(options.tolerancePath) : undefined;
  const result = checkReport(report, baseline, { tolerances, ignoreSettings: options.ignoreSettings, names: { report: reportPath, baseline: baselinePath } });
  return { result, maxLag: baseline.settings.maxLag };
}
