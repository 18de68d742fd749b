import { formatNumber } from '../numberFormat.js';
import type { Report } from '../schema.js';
import { axes, gridLines, zeroLine } from './axes.js';
import { depthScale, drawDepthPanel, type DepthAxis, type DepthSeries } from './depthPanel.js';
import { FIGURE_WIDTH, figureHeader, panelTitle } from './layout.js';
import { horizontalLegend } from './legend.js';
import { line, marker } from './marks.js';
import { extent, linearScale } from './scale.js';
import { smallMultiples } from './smallMultiples.js';
import { element, svgDocument } from './svg.js';

const PROFILE_COLOR = '#0072b2';
const ONSET_COLOR = '#d55e00';

/** F(k) for every swap position, one small panel per layer, with the sentence onsets marked. */
export function yokingProfileFigure(report: Report, subtitle: string): string {
  const yoking = report.yoking;
  if (!yoking) throw new Error('yokingProfileFigure: the report has no yoking results');
  const title = 'Structure yoking: F(k) at every swap position';
  const header = figureHeader(title, subtitle);
  const legend = horizontalLegend([
    { label: 'population F(k)', style: { color: PROFILE_COLOR, marker: 'none' } },
    { label: 'sentence onset', style: { color: ONSET_COLOR, dashed: true, marker: 'none' } },
    { label: 'F at an onset', style: { color: ONSET_COLOR, marker: 'circle' }, swatch: 'marker' },
  ], 60, header.bottom, FIGURE_WIDTH - 76);
  const onsets = yoking.sentenceStarts.filter((k) => k > 0);
  const [low, high] = extent(report.layers.flatMap((l) => l.yoking?.profile ?? []), [-0.1, 0.1]);
  const last = yoking.wordsPerSequence - 1;
  const grid = smallMultiples(report.layers.length, header.bottom + legend.height + 8, (cell) => {
    const layer = report.layers[cell.index];
    const profile = layer.yoking?.profile ?? [];
    const box = cell.box;
    const x = linearScale(0, last, box.left, box.left + box.width, { integer: true, exact: true, count: 4 });
    const y = linearScale(Math.min(0, low), Math.max(0, high), box.top + box.height, box.top, { count: 3, pad: 0.06 });
    const parts = [gridLines(box, y), zeroLine(box, y)];
    for (const k of onsets) parts.push(element('line', { class: 'onset', x1: x(k), x2: x(k), y1: box.top, y2: box.top + box.height, stroke: ONSET_COLOR, 'stroke-dasharray': '4 3', 'stroke-width': 1 }));
    parts.push(line(profile.map((f, k) => (f === null ? null : [x(k), y(f)])), { color: PROFILE_COLOR, lineWidth: 1.4 }));
    for (const k of onsets) {
      const f = profile[k];
      if (f !== null && f !== undefined) parts.push(marker(x(k), y(f), { color: ONSET_COLOR }, 2.6));
    }
    parts.push(axes(box, x, y, { xTickLabels: cell.showXTicks, yTickLabels: cell.showYTicks }));
    parts.unshift(panelTitle(box, `layer ${layer.layer}`, layer.yoking ? `Y = ${formatNumber(layer.yoking.median, 2)}` : undefined));
    return element('g', { class: 'panel', 'data-label': `layer ${layer.layer}` }, parts);
  }, { x: 'swap position k (word index in the sequence)', y: 'F(k) (change in effect vs a swap at k − 1)' });
  return svgDocument(FIGURE_WIDTH, grid.height, title, [header.svg, legend.svg, grid.svg]);
}

/** Y against depth: one or more lines (series), with layer 0's Y as the baseline to read later layers against. */
export function yokingIndexFigure(title: string, subtitle: string, series: readonly DepthSeries[], axis: DepthAxis, baseline?: number): string {
  const header = figureHeader(title, subtitle);
  const legend = horizontalLegend(series.map((s) => ({ label: s.label, style: s.style })), 60, header.bottom, FIGURE_WIDTH - 76);
  const box = { left: 80, top: header.bottom + legend.height + 20, width: FIGURE_WIDTH - 80 - 24, height: 280 };
  const x = depthScale(axis, box);
  const references = baseline === undefined ? [] : [{ y: baseline, label: `layer 0 baseline (Y = ${formatNumber(baseline, 2)})` }];
  const body = [header.svg, legend.svg, drawDepthPanel(box, { series, includeZero: true, references }, x, { xLabel: axis.label, yLabel: 'Y (mean F at sentence onsets)', formatX: axis.format })];
  return svgDocument(FIGURE_WIDTH, box.top + box.height + 52, title, body);
}
