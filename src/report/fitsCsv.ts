import { boundsHit, parameterMatters } from '../analysis/index.js';
import { csvText, type CsvCell } from './csv.js';
import type { Report } from './schema.js';
import { readoutSides } from './reportParts.js';

/** How one unit's fit ended: converged, converged with a parameter at a bound, failed, or not fitted (zero lag-0 effect). */
export type UnitFitStatus = 'ok' | 'at-bound' | 'failed' | 'excluded';

/**
 * One unit's fit as fits.csv holds it; parameters are null for failed and excluded units, and a (b) is null for a
 * fitted unit whose curve puts no weight on the power law (exponential), where its value does not shape the curve.
 */
export interface UnitFitRow {
  unit: number;
  status: UnitFitStatus;
  a: number | null;
  b: number | null;
  c: number | null;
  sse: number | null;
  /** False when the fit's two minima were within the identification tolerance; null when not fitted. */
  identified: boolean | null;
}

/** Every unit fit of one layer (too many for report.json: 13 × 768 for GPT-2 small). */
export interface LayerUnitFitRows {
  layer: number;
  units: readonly UnitFitRow[];
}

/**
 * fits.csv: one row per layer and unit: status, a, b, c, sse, identified. With --readout output, the fits of the
 * output window (layer `output`) and of the prediction divergence (layer `divergence`) follow, one row each, unit NA.
 */
export function fitsCsv(layers: readonly LayerUnitFitRows[], report?: Pick<Report, 'output'>): string {
  const rows: CsvCell[][] = [];
  for (const { layer, units } of layers) {
    for (const fit of units) {
      const fitted = fit.status === 'ok' || fit.status === 'at-bound';
      const number = (value: number | null, name: string): number | null => {
        if (!fitted) return null;
        if (value === null || !Number.isFinite(value)) throw new Error(`fits.csv: layer ${layer} unit ${fit.unit} is "${fit.status}" but its ${name} is ${value}`);
        return value;
      };
      const optional = (value: number | null, name: string): number | null => (value === null ? null : number(value, name));
      rows.push([layer, fit.unit, fit.status, optional(fit.a, 'a'), optional(fit.b, 'b'), number(fit.c, 'c'), number(fit.sse, 'sse'), fitted ? fit.identified : null]);
    }
  }
  for (const [label, side] of readoutSides(report ?? {})) {
    const { a, b, c, sse } = side.fit;
    rows.push([label, null, boundsHit({ a, b, c }).length > 0 ? 'at-bound' : 'ok', parameterMatters('a', side.fit) ? a : null, parameterMatters('b', side.fit) ? b : null, c, sse, side.identified]);
  }
  return csvText(['layer', 'unit', 'status', 'a', 'b', 'c', 'sse', 'identified'], rows);
}
