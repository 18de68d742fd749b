import { formatNumber } from '../numberFormat.js';
import type { Report, ReportLayer } from '../schema.js';
import { depthScale, drawDepthPanel, type DepthAxis, type DepthPanel, type DepthSeries } from './depthPanel.js';
import { FIGURE_WIDTH, figureHeader, panelGrid, panelTitle } from './layout.js';
import { horizontalLegend } from './legend.js';
import type { SeriesStyle } from './marks.js';
import { svgDocument } from './svg.js';

/**
 * a, b, c and the half-decay lag against depth, one panel each (2 × 2). For one report: the population fit
 * (bars: bootstrap interval, when the report has one) beside the median over units (bars: quartiles). For several
 * reports (iw compare): one line per report.
 */
export interface ParameterLine {
  label: string;
  style: SeriesStyle;
  /** Layers drawn at x = depthOf(layer). */
  layers: readonly ReportLayer[];
  depthOf: (layer: number) => number;
  maxLag: number;
  /** population: the population fit; unitMedian: the median over unit fits; future: the future side's population fit (bidirectional models). */
  source: 'population' | 'unitMedian' | 'future';
}

const panels = [
  { key: 'a', title: 'a: power-law exponent' },
  { key: 'b', title: 'b: exponential rate' },
  { key: 'c', title: 'c: weight of the power law' },
  { key: 'halfDecayLag', title: 'half-decay lag (words)' },
] as const;

type PanelKey = (typeof panels)[number]['key'];

export function parametersFigure(title: string, subtitle: string, lines: readonly ParameterLine[], axis: DepthAxis): string {
  const header = figureHeader(title, subtitle);
  const legend = horizontalLegend(lines.map((l) => ({ label: l.label, style: l.style })), 60, header.bottom, FIGURE_WIDTH - 76);
  const top = header.bottom + legend.height + 30;
  const boxes = panelGrid(panels.length, 2, { left: 60, top, width: FIGURE_WIDTH - 60 - 20 }, { height: 170, gapX: 64, gapY: 78 });
  const maxLag = Math.max(...lines.map((l) => l.maxLag));
  const body = [header.svg, legend.svg];
  panels.forEach((panel, i) => {
    const box = boxes[i];
    const x = depthScale(axis, box);
    const series = lines.filter((l) => panel.key !== 'halfDecayLag' || l.source !== 'unitMedian').map((l) => parameterSeries(l, panel.key));
    const spec: DepthPanel = {
      series,
      yRange: panel.key === 'c' ? [0, 1] : undefined,
      includeZero: panel.key !== 'c',
      beyond: panel.key === 'halfDecayLag' ? { level: maxLag, label: `maxLag ${maxLag} (△ beyond)` } : undefined,
    };
    body.push(panelTitle(box, panel.title), drawDepthPanel(box, spec, x, { xLabel: i >= 2 ? axis.label : undefined, formatX: axis.format }));
  });
  const last = boxes[boxes.length - 1];
  const height = last.top + last.height + 52;
  return svgDocument(FIGURE_WIDTH, height, title, body);
}

function parameterSeries(line: ParameterLine, key: PanelKey): DepthSeries {
  if (line.source === 'future') return futureSeries(line, key);
  const points = line.layers.map((layer) => {
    const x = line.depthOf(layer.layer);
    if (key === 'halfDecayLag') {
      const interval = layer.intervals?.halfDecayLag;
      return { x, y: layer.summary.halfDecayLag, low: interval?.[0], high: interval?.[1] };
    }
    if (line.source === 'unitMedian') {
      return { x, y: layer.fit.units.median[key], low: layer.fit.units.q25[key], high: layer.fit.units.q75[key] };
    }
    const interval = layer.intervals?.[key];
    return { x, y: layer.fit.population[key], low: interval?.[0], high: interval?.[1] };
  });
  return { label: line.label, style: line.style, points };
}

function futureSeries(line: ParameterLine, key: PanelKey): DepthSeries {
  const points = line.layers.flatMap((layer) => {
    const future = layer.future;
    if (!future) return [];
    const x = line.depthOf(layer.layer);
    if (key === 'halfDecayLag') return [{ x, y: future.summary.halfDecayLag, low: future.intervals?.halfDecayLag[0], high: future.intervals?.halfDecayLag[1] }];
    const interval = future.intervals?.[key];
    return [{ x, y: future.fit.population[key], low: interval?.[0], high: interval?.[1] }];
  });
  return { label: line.label, style: line.style, points };
}

/** The depth axis of one report: layer indices. */
export function layerAxis(report: Report): DepthAxis {
  const layers = report.layers.map((l) => l.layer);
  return { label: 'layer (0 = embedding output)', min: Math.min(...layers), max: Math.max(...layers), integer: true, format: (v) => formatNumber(v) };
}
