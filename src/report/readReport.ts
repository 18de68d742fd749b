import { UserError, shown } from '../util/index.js';
import { readJsonFile } from '../util/index.js';
import { REPORT_FORMAT, reportSchema, type Report } from './schema.js';
import { describeIssues } from './schemaIssues.js';

/** Reads and validates a report.json; every problem is a UserError naming the file and the field. */
export function readReport(path: string): Report {
  return parseReport(readJsonFile(path, 'report'), path);
}

/** Validates a report already in memory (e.g. parsed JSON); `source` names it in messages. */
export function parseReport(value: unknown, source: string): Report {
  const format = typeof value === 'object' && value !== null ? (value as { format?: unknown }).format : undefined;
  if (format !== REPORT_FORMAT) {
    const found = format === undefined ? 'it has no "format" field' : `its format is ${shown(format)}`;
    throw new UserError(`${source} is not an ${REPORT_FORMAT} report (${found}); give the report.json that iw estimate wrote`);
  }
  const result = reportSchema.safeParse(value);
  if (!result.success) throw new UserError(`report ${source}: ${describeIssues(result.error, value)}`);
  return result.data;
}
