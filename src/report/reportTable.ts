import { layerSummaryColumns, readoutRows, reportHeadline } from './layerSummary.js';
import type { Report } from './schema.js';
import { textTable } from '../util/index.js';

/** The human summary of a report for stdout: a headline, then one row per layer. */
export function formatReportTable(report: Report): string {
  const columns = layerSummaryColumns(report, 'headline');
  const rows = [...report.layers.map((layer) => columns.map((column) => column.cell(layer))), ...readoutRows(report, columns)];
  const footer = report.layers.some((l) => l.summary.halfDecayLag === null)
    ? `half-decay lag >${report.settings.maxLag}: the fitted window stays above 0.5 up to maxLag\n`
    : '';
  const intervals = report.bootstrap ? 'intervals of a, b, c and lag75: report.html or report.json (layers[i].intervals)\n' : '';
  return `${reportHeadline(report)}\n\n${textTable(columns, rows)}${footer}${intervals}`;
}
