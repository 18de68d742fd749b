import { formatNumber } from '../numberFormat.js';
import { markerShapes } from '../plot/marks.js';
import { yokingResults } from '../reportParts.js';
import { seriesColor } from '../plot/colors.js';
import type { DepthAxis, DepthSeries } from '../plot/depthPanel.js';
import { parametersFigure } from '../plot/parametersFigure.js';
import type { Figure } from '../plot/reportFigures.js';
import { yokingIndexFigure } from '../plot/yokingFigures.js';
import type { ComparedReport } from './comparedReport.js';

/**
 * The parameter-against-depth figures with one line per report. Reports with the same layer count share a layer
 * axis; otherwise depth is relative (layer ÷ last layer), so a 6-layer and a 13-layer model can be read together.
 */
export function comparisonFigures(reports: readonly ComparedReport[]): Figure[] {
  const { axis, depthOf } = depthAxis(reports);
  const subtitle = reports.map((r) => r.label).join(' vs ');
  const styleOf = (i: number) => ({ color: seriesColor(i), marker: markerShapes[i % markerShapes.length], hollow: i % 2 === 1 });
  const interval = reports.every((r) => r.report.bootstrap) ? ' Bars: bootstrap intervals.' : '';
  const figures: Figure[] = [{
    file: 'parameters.svg',
    title: 'Fitted parameters against depth',
    caption: `Population-fit parameters and half-decay lag per layer, one line per report.${interval} △: the fitted window stays above 0.5 up to maxLag.`,
    svg: parametersFigure('Fitted parameters against depth', subtitle, reports.map((r, i) => ({
      label: r.label, style: styleOf(i), layers: r.report.layers, depthOf: (layer) => depthOf(r, layer), maxLag: r.report.settings.maxLag, source: 'population' as const,
    })), axis),
  }];
  const yoking = reports.map((r) => yokingResults(r.report));
  if (yoking.every((y) => y !== undefined)) {
    const series: DepthSeries[] = reports.map((r, i) => ({
      label: r.label,
      style: styleOf(i),
      points: yoking[i].layers.map(({ layer, yoking: y }) => ({ x: depthOf(r, layer), y: y.median, low: y.ci?.[0], high: y.ci?.[1] })),
    }));
    figures.push({
      file: 'yoking-index.svg',
      title: 'Structure yoking against depth',
      caption: `Y (median over units) per layer, one line per report.${interval}`,
      svg: yokingIndexFigure('Structure yoking against depth', subtitle, series, axis),
    });
  }
  return figures;
}

function depthAxis(reports: readonly ComparedReport[]): { axis: DepthAxis; depthOf: (r: ComparedReport, layer: number) => number } {
  const counts = new Set(reports.map((r) => r.report.model.layerCount));
  if (counts.size === 1) {
    const layers = reports.flatMap((r) => r.report.layers.map((l) => l.layer));
    return { axis: { label: 'layer (0 = embedding output)', min: Math.min(...layers), max: Math.max(...layers), integer: true }, depthOf: (_, layer) => layer };
  }
  return {
    axis: { label: 'relative depth (layer ÷ last layer)', min: 0, max: 1, integer: false, format: (v) => formatNumber(v) },
    depthOf: (r, layer) => (r.report.model.layerCount > 1 ? layer / (r.report.model.layerCount - 1) : 0),
  };
}
