import type { Report, ReportLayer } from '../schema.js';

/** The lag where two population windows differ most (over the lags both have), with both values there. */
export function largestWindowChange(report: Pick<ReportLayer, 'window'>, baseline: Pick<ReportLayer, 'window'>): { lag: number; value: number; baseline: number } {
  const lags = Math.min(report.window.length, baseline.window.length);
  let lag = 0;
  for (let i = 1; i < lags; i++) {
    if (Math.abs(report.window[i] - baseline.window[i]) > Math.abs(report.window[lag] - baseline.window[lag])) lag = i;
  }
  return { lag, value: report.window[lag], baseline: baseline.window[lag] };
}

export function layerMap(report: Report): Map<number, ReportLayer> {
  return new Map(report.layers.map((l) => [l.layer, l]));
}
