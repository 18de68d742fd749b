import { writeFileAtomic } from '../util/index.js';
import { reportSchema, type Report, type ReportInput } from './schema.js';
import { describeIssues } from './schemaIssues.js';

/**
 * The report as JSON text: validated first (an invalid report is a bug in whatever built it, so this throws a
 * plain Error), then written in the schema's key order with settings sorted, two-space indent, final newline.
 * Same report in, same bytes out.
 */
export function serializeReport(report: ReportInput): string {
  const result = reportSchema.safeParse(report);
  if (!result.success) throw new Error(`refusing to write an invalid report: ${describeIssues(result.error, report, 10)}`);
  return `${JSON.stringify(result.data satisfies Report, null, 2)}\n`;
}

/** Validates and writes report.json atomically. */
export function writeReportJson(report: ReportInput, path: string): void {
  writeFileAtomic(path, serializeReport(report));
}
