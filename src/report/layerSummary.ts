import { formatInterval, formatLag, formatNumber } from './numberFormat.js';
import type { ComparedModel, Report, ReportLayer } from './schema.js';
import { readoutSides } from './reportParts.js';

/**
 * The per-layer summary a person reads first (stdout table and report.html use the same columns):
 * layer, population a, b, c, half-decay lag, lag75, then Y when yoking exists, the winning model when a
 * comparison exists, and diagnostics worth a warning. Intervals are shown when the report has them.
 */
export interface SummaryColumn {
  header: string;
  align: 'left' | 'right';
  cell: (layer: ReportLayer) => string;
}

export const modelNames: Record<ComparedModel, string> = { exponential: 'exponential', powerLaw: 'power law', mixture: 'mixture' };

/**
 * `intervals`: 'all' shows every interval the report has (report.html); 'headline' only those of the
 * half-decay lag and Y, which keeps the stdout table within a terminal's width.
 */
export function layerSummaryColumns(report: Report, intervals: 'all' | 'headline'): SummaryColumn[] {
  const maxLag = report.settings.maxLag;
  const withInterval = (value: string, interval: readonly [number | null, number | null] | null | undefined, headline = false) =>
    interval && (headline || intervals === 'all') ? `${value} ${formatInterval(interval, maxLag)}` : value;
  const columns: SummaryColumn[] = [
    { header: 'layer', align: 'right', cell: (l) => String(l.layer) },
    { header: 'a', align: 'right', cell: (l) => withInterval(formatNumber(l.fit.population.a), l.intervals?.a) },
    { header: 'b', align: 'right', cell: (l) => withInterval(formatNumber(l.fit.population.b), l.intervals?.b) },
    { header: 'c', align: 'right', cell: (l) => withInterval(formatNumber(l.fit.population.c), l.intervals?.c) },
    { header: 'half-decay lag', align: 'right', cell: (l) => withInterval(formatLag(l.summary.halfDecayLag, maxLag), l.intervals?.halfDecayLag, true) },
    { header: 'lag75', align: 'right', cell: (l) => withInterval(formatNumber(l.summary.lag75), l.intervals?.lag75) },
  ];
  if (report.layers.some((l) => l.future)) {
    // Bidirectional models: the future side (the swapped word after the measured one).
    columns.push(
      { header: 'future c', align: 'right', cell: (l) => (l.future ? withInterval(formatNumber(l.future.fit.population.c), l.future.intervals?.c) : '') },
      { header: 'future half-decay', align: 'right', cell: (l) => (l.future ? withInterval(formatLag(l.future.summary.halfDecayLag, maxLag), l.future.intervals?.halfDecayLag, true) : '') },
    );
  }
  if (report.yoking) {
    columns.push({ header: 'Y', align: 'right', cell: (l) => (l.yoking ? withInterval(formatNumber(l.yoking.median), l.yoking.ci, true) : '') });
    if (intervals === 'all') {
      const control = `Y, lags 1–${report.yoking.sentenceLength - 2}`;
      columns.push({ header: control, align: 'right', cell: (l) => (l.yoking ? withInterval(formatNumber(l.yoking.controlLagsFrom1.median), l.yoking.controlLagsFrom1.ci) : '') });
    }
  }
  if (report.layers.some((l) => l.comparison)) {
    columns.push({ header: 'best by BIC', align: 'left', cell: (l) => (l.comparison ? `${modelNames[l.comparison.winner.bic.model]} (ΔBIC ${formatNumber(l.comparison.winner.bic.delta)})` : '') });
    columns.push({ header: 'best held out', align: 'left', cell: (l) => (l.comparison ? heldOutWinner(l.comparison.winner.heldOutError) : '') });
  }
  columns.push({ header: 'notes', align: 'left', cell: (l) => layerWarnings(l).join('; ') });
  return columns;
}

function heldOutWinner(winner: { model: ComparedModel; ratio: number | null }): string {
  return `${modelNames[winner.model]} (×${winner.ratio === null ? '∞' : formatNumber(winner.ratio)})`;
}

/** Short warnings for one layer: what a reader should know before trusting its numbers. */
export function layerWarnings(layer: ReportLayer): string[] {
  const d = layer.fit.diagnostics;
  const warnings: string[] = [];
  if (!d.identified) warnings.push(`exp/power split not identified (minima ${d.minimaGap === null ? 'equal' : `${formatNumber(d.minimaGap * 100, 2)} % apart`})`);
  if (d.atBound.length > 0) warnings.push(`${d.atBound.join(', ')} at bound`);
  if (d.failedFits > 0) warnings.push(`${d.failedFits} failed unit fit${d.failedFits === 1 ? '' : 's'}`);
  if (d.excludedUnits > 0) warnings.push(`${d.excludedUnits} unit${d.excludedUnits === 1 ? '' : 's'} excluded`);
  return warnings;
}

/** One line saying what the numbers are of: model, lags, stimuli, intervals. */
export function reportHeadline(report: Report): string {
  const parts = [
    `${report.model.id}${report.settings.untrained === true ? ' (untrained twin)' : ''}: ${report.model.architecture}, ${report.model.layerCount} layers`,
    `lags 0–${report.settings.maxLag}`,
    `${report.stimuli.sequences} sequences of ${report.stimuli.wordsPerSequence} words`,
    `seed ${report.settings.seed}`,
  ];
  if (report.bootstrap) parts.push(`${formatNumber(report.bootstrap.level * 100)} % intervals from ${report.bootstrap.replicates} bootstrap replicates`);
  return parts.join('; ');
}

/**
 * Rows for the output read-out (--readout output) under the layers: `output` and `divergence` in the layer column,
 * their population fit, window size and (for the output window) the model comparison in the columns a layer has.
 */
export function readoutRows(report: Report, columns: readonly SummaryColumn[]): string[][] {
  const maxLag = report.settings.maxLag;
  return readoutSides(report).map(([label, side]) => {
    const comparison = label === 'output' ? report.output?.comparison : undefined;
    const cells: Record<string, string> = {
      layer: label,
      a: formatNumber(side.fit.a),
      b: formatNumber(side.fit.b),
      c: formatNumber(side.fit.c),
      'half-decay lag': side.intervals ? `${formatLag(side.summary.halfDecayLag, maxLag)} ${formatInterval(side.intervals.halfDecayLag, maxLag)}` : formatLag(side.summary.halfDecayLag, maxLag),
      lag75: formatNumber(side.summary.lag75),
      'best by BIC': comparison ? `${modelNames[comparison.winner.bic.model]} (ΔBIC ${formatNumber(comparison.winner.bic.delta)})` : '',
      'best held out': comparison ? heldOutWinner(comparison.winner.heldOutError) : '',
      notes: side.identified ? '' : 'exp/power split not identified',
    };
    return columns.map((column) => cells[column.header] ?? '');
  });
}
