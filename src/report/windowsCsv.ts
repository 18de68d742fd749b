import { csvText, type CsvCell } from './csv.js';
import type { Report } from './schema.js';

/** windows.csv: one row per layer and lag: the population window and the median and quartiles of the unit windows. */
export function windowsCsv(report: Report): string {
  const rows: CsvCell[][] = [];
  for (const layer of report.layers) {
    layer.window.forEach((value, lag) => {
      rows.push([layer.layer, lag, value, layer.unitWindow.median[lag], layer.unitWindow.q25[lag], layer.unitWindow.q75[lag]]);
    });
  }
  return csvText(['layer', 'lag', 'window', 'unit_median', 'unit_q25', 'unit_q75'], rows);
}
