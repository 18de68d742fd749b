import type { ReportLayerComparison, ReportLayerYoking, Report, ReportLayer, ReportReadoutWindow } from './schema.js';

/** A report layer that carries yoking results. */
export type LayerWithYoking = ReportLayer & { yoking: ReportLayerYoking };
/** A report layer that carries a model comparison. */
export type LayerWithComparison = ReportLayer & { comparison: ReportLayerComparison };

/** A report's yoking results, with what the schema guarantees in the types: the stimuli block and every layer's Y. */
export interface YokingResults {
  stimuli: NonNullable<Report['yoking']>;
  layers: LayerWithYoking[];
}

/**
 * The report's yoking results, or undefined for a report without yoking. The schema refuses a report where the
 * top-level `yoking` block and the layers' `yoking` do not come together, so one check here stands for all of
 * them; a layer without it would mean an unvalidated report, which is a bug.
 */
export function yokingResults(report: Report): YokingResults | undefined {
  if (!report.yoking) return undefined;
  const layers = report.layers.filter(hasYoking);
  if (layers.length !== report.layers.length) throw new Error('report has a yoking block but a layer without yoking results (not validated?)');
  return { stimuli: report.yoking, layers };
}

export function hasYoking(layer: ReportLayer): layer is LayerWithYoking {
  return layer.yoking !== undefined;
}

export function hasComparison(layer: ReportLayer): layer is LayerWithComparison {
  return layer.comparison !== undefined;
}

/** The output read-out's two windows with the label their rows carry in windows.csv and fits.csv (none without --readout output). */
export function readoutSides(report: Pick<Report, 'output'>): Array<[string, ReportReadoutWindow]> {
  return report.output ? [['output', report.output], ['divergence', report.output.divergence]] : [];
}
