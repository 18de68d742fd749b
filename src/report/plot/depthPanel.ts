import { axes, gridLines, zeroLine, type AxesOptions, type PlotBox } from './axes.js';
import { errorBar, line, marker, type SeriesStyle } from './marks.js';
import { extent, linearScale, type LinearScale } from './scale.js';
import { element, text } from './svg.js';

/**
 * One quantity against depth (layer): lines through per-layer points, with error bars. Used for a, b, c, the
 * half-decay lag and Y, for one report (population vs unit median) and for several (one line per report).
 */
export interface DepthPoint {
  x: number;
  /** null: no value (a gap in the line), unless the panel has a `beyond` level, where null means "beyond it". */
  y: number | null;
  low?: number | null;
  high?: number | null;
}

export interface DepthSeries {
  label: string;
  style: SeriesStyle;
  points: readonly DepthPoint[];
}

export interface DepthPanel {
  series: readonly DepthSeries[];
  /** A fixed y range (e.g. [0, 1] for c); otherwise the data's, widened to nice ticks. */
  yRange?: [number, number];
  /** Include 0 in the y range. */
  includeZero?: boolean;
  /** Values that lie beyond this level are null: drawn as open triangles on a dashed line at the level. */
  beyond?: { level: number; label: string };
  /** Horizontal reference lines, e.g. layer 0's Y as a baseline. */
  references?: readonly { y: number; label: string }[];
}

export interface DepthAxis {
  label: string;
  min: number;
  max: number;
  integer: boolean;
  format?: (value: number) => string;
}

const DODGE = 6;

export function depthScale(axis: DepthAxis, box: PlotBox): LinearScale {
  const pad = axis.integer ? 0.5 : (axis.max - axis.min || 1) * 0.05;
  const count = axis.integer ? Math.round(box.width / 40) : Math.round(box.width / 70);
  return linearScale(axis.min - pad, axis.max + pad, box.left, box.left + box.width, { exact: true, integer: axis.integer, count: Math.max(2, count) });
}

export function drawDepthPanel(box: PlotBox, panel: DepthPanel, x: LinearScale, options: AxesOptions): string {
  const y = depthPanelYScale(box, panel);
  const parts = [gridLines(box, y), zeroLine(box, y)];
  for (const reference of panel.references ?? []) parts.push(referenceLine(box, y, reference.y, reference.label));
  if (panel.beyond && panel.series.some((s) => s.points.some((p) => p.y === null))) parts.push(referenceLine(box, y, panel.beyond.level, panel.beyond.label));
  panel.series.forEach((series, i) => {
    const dodge = (i - (panel.series.length - 1) / 2) * DODGE;
    parts.push(drawSeries(series, x, y, dodge, panel.beyond?.level));
  });
  parts.push(axes(box, x, y, options));
  return parts.join('');
}

function depthPanelYScale(box: PlotBox, panel: DepthPanel): LinearScale {
  const count = Math.max(3, Math.round(box.height / 45));
  if (panel.yRange) return linearScale(panel.yRange[0], panel.yRange[1], box.top + box.height, box.top, { count, pad: 0.04 });
  const values = panel.series.flatMap((s) => s.points.flatMap((p) => [p.y, p.low, p.high]));
  if (panel.beyond && values.some((v) => v === null)) values.push(panel.beyond.level);
  for (const reference of panel.references ?? []) values.push(reference.y);
  let [min, max] = extent(values, [0, 1]);
  if (panel.includeZero) [min, max] = [Math.min(0, min), Math.max(0, max)];
  return linearScale(min, max, box.top + box.height, box.top, { count, pad: 0.06 });
}

function drawSeries(series: DepthSeries, x: LinearScale, y: LinearScale, dodge: number, beyond: number | undefined): string {
  const at = (p: DepthPoint): [number, number] | null => {
    if (p.y !== null) return [x(p.x) + dodge, y(p.y)];
    return beyond === undefined ? null : [x(p.x) + dodge, y(beyond)];
  };
  const parts: string[] = [];
  for (const p of series.points) {
    if (p.low === undefined || p.high === undefined) continue;
    const low = p.low ?? beyond;
    if (low === undefined) continue;
    const high = p.high ?? beyond ?? low;
    if (p.low !== null || p.high !== null) parts.push(errorBar(x(p.x) + dodge, y(low), y(high), series.style.color));
  }
  // The line joins measured values only: a value beyond the level has no position to join.
  parts.push(line(series.points.map((p) => (p.y === null ? null : at(p))), series.style));
  for (const p of series.points) {
    const point = at(p);
    if (!point) continue;
    const style: SeriesStyle = p.y === null ? { ...series.style, marker: 'triangle', hollow: true } : series.style;
    parts.push(marker(point[0], point[1], style));
  }
  return element('g', { class: 'series', 'data-label': series.label }, parts);
}

/** A dotted horizontal line with its label above it, or below it when the line runs along the top of the panel. */
function referenceLine(box: PlotBox, y: LinearScale, level: number, label: string): string {
  const labelY = y(level) - box.top < 16 ? y(level) + 14 : y(level) - 5;
  return element('line', { x1: box.left, x2: box.left + box.width, y1: y(level), y2: y(level), stroke: '#777', 'stroke-dasharray': '2 3' })
    + text(box.left + box.width - 4, labelY, label, { 'text-anchor': 'end', 'font-size': 11, fill: '#555' });
}
