import { csvText, type CsvCell } from './csv.js';
import { readoutSides } from './reportParts.js';
import type { Report } from './schema.js';

/**
 * windows.csv: one row per layer and lag: the population window and the median and quartiles of the unit windows.
 * A bidirectional model's future side comes first, at negative lags (lag = t − k: the swapped word |lag| words after
 * the measured word), so its rows run from −maxLag to maxLag. With --readout output, the output window (layer
 * `output`) and the prediction divergence (layer `divergence`) follow the layers, without unit windows.
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
  for (const [label, side] of readoutSides(report)) side.window.forEach((value, lag) => rows.push([label, lag, value, null, null, null]));
  return csvText(['layer', 'lag', 'window', 'unit_median', 'unit_q25', 'unit_q75'], rows);
}
