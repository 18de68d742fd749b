import { formatNumber } from '../numberFormat.js';
import type { LinearScale } from './scale.js';
import { element, text } from './svg.js';

/** Where a panel's data area sits on the page, in pixels. */
export interface PlotBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface AxesOptions {
  xLabel?: string;
  yLabel?: string;
  /** Draw tick labels (small multiples label only the outer panels). */
  xTickLabels?: boolean;
  yTickLabels?: boolean;
  formatX?: (value: number) => string;
  formatY?: (value: number) => string;
}

export const TICK_FONT = 12;
export const LABEL_FONT = 13;
const AXIS_COLOR = '#444';
const GRID_COLOR = '#e6e6e6';

/** Light horizontal grid lines at the y ticks, drawn first so data lies on top. */
export function gridLines(box: PlotBox, y: LinearScale): string {
  return y.ticks.map((tick) => element('line', { x1: box.left, x2: box.left + box.width, y1: y(tick), y2: y(tick), stroke: GRID_COLOR, 'stroke-width': 1 })).join('');
}

/** A zero line, a little darker than the grid, when 0 lies inside the y domain. */
export function zeroLine(box: PlotBox, y: LinearScale): string {
  if (y.domain[0] >= 0 || y.domain[1] <= 0) return '';
  return element('line', { x1: box.left, x2: box.left + box.width, y1: y(0), y2: y(0), stroke: '#999', 'stroke-width': 1 });
}

/** Bottom and left axes with outward ticks, tick labels and axis labels. */
export function axes(box: PlotBox, x: LinearScale, y: LinearScale, options: AxesOptions): string {
  const bottom = box.top + box.height;
  const formatX = options.formatX ?? ((v: number) => formatNumber(v));
  const formatY = options.formatY ?? ((v: number) => formatNumber(v));
  const parts: string[] = [
    element('line', { x1: box.left, x2: box.left + box.width, y1: bottom, y2: bottom, stroke: AXIS_COLOR }),
    element('line', { x1: box.left, x2: box.left, y1: box.top, y2: bottom, stroke: AXIS_COLOR }),
  ];
  for (const tick of x.ticks) {
    parts.push(element('line', { x1: x(tick), x2: x(tick), y1: bottom, y2: bottom + 4, stroke: AXIS_COLOR }));
    if (options.xTickLabels !== false) parts.push(text(x(tick), bottom + 17, formatX(tick), { 'text-anchor': 'middle', 'font-size': TICK_FONT }));
  }
  for (const tick of y.ticks) {
    parts.push(element('line', { x1: box.left - 4, x2: box.left, y1: y(tick), y2: y(tick), stroke: AXIS_COLOR }));
    if (options.yTickLabels !== false) parts.push(text(box.left - 7, y(tick) + 4, formatY(tick), { 'text-anchor': 'end', 'font-size': TICK_FONT }));
  }
  if (options.xLabel) parts.push(text(box.left + box.width / 2, bottom + 36, options.xLabel, { 'text-anchor': 'middle', 'font-size': LABEL_FONT }));
  if (options.yLabel) {
    const cx = box.left - 46;
    const cy = box.top + box.height / 2;
    parts.push(text(cx, cy, options.yLabel, { 'text-anchor': 'middle', 'font-size': LABEL_FONT, transform: `rotate(-90 ${cx} ${cy})` }));
  }
  return parts.join('');
}
