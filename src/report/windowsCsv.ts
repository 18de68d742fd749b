import { csvText, type CsvCell } from './csv.js';
import type { Report } from './schema.js';

/**
 * windows.csv: one row per layer and lag: the population window and the median and quartiles of the unit windows.
 * A bidirectional model's future side comes first, at negative lags (lag = t − k: the swapped word |lag| words after
 * the measured word), so its rows run from −maxLag to maxLag.
 */
export function windowsCsv(report: Report): string {
  const rows: CsvCell[][] = [];
  for (const layer of report.layers) {
    const future = layer.future;
    if (future) {
      for (let lag = future.window.length - 1; lag >= 1; lag--) {
        rows.push([layer.layer, -lag, future.window[lag], future.unitWindow.median[lag], future.unitWindow.q25[lag], future.unitWindow.q75[lag]]);
      }
    }
    layer.window.forEach((value, lag) => {
      rows.push([layer.layer, lag, value, layer.unitWindow.median[lag], layer.unitWindow.q25[lag], layer.unitWindow.q75[lag]]);
    });
  }
  return csvText(['layer', 'lag', 'window', 'unit_median', 'unit_q25', 'unit_q75'], rows);
}
