import type { Report } from '../schema.js';
import { axes, gridLines, zeroLine } from './axes.js';
import { layerColor } from './colors.js';
import { FIGURE_WIDTH, figureHeader } from './layout.js';
import { layerKey } from './legend.js';
import { line } from './marks.js';
import { extent, linearScale } from './scale.js';
import { group, svgDocument } from './svg.js';

/** Every layer's population window on one set of axes, coloured from shallow (dark) to deep (light). */
export function windowsFigure(report: Report, subtitle: string): string {
  const title = 'Population integration windows';
  const header = figureHeader(title, subtitle);
  const box = { left: 72, top: header.bottom + 22, width: FIGURE_WIDTH - 72 - 92, height: 330 };
  const maxLag = report.settings.maxLag;
  const x = linearScale(0, maxLag, box.left, box.left + box.width, { integer: true, exact: true, count: Math.min(10, maxLag) });
  const [low, high] = extent(report.layers.flatMap((l) => l.window), [0, 1]);
  const y = linearScale(Math.min(0, low), Math.max(1, high), box.top + box.height, box.top, { count: 5, pad: 0.03 });
  const first = report.layers[0].layer;
  const last = report.layers[report.layers.length - 1].layer;
  const colorOf = (layer: number) => layerColor(layer, first, last);
  const body = [header.svg, gridLines(box, y), zeroLine(box, y)];
  for (const layer of report.layers) {
    const path = line(layer.window.map((value, lag) => [x(lag), y(value)]), { color: colorOf(layer.layer), lineWidth: 1.8 });
    body.push(group({ class: 'series', 'data-label': `layer ${layer.layer}` }, [path]));
  }
  body.push(axes(box, x, y, { xLabel: 'lag Δ (words from the swapped word to the measured word)', yLabel: 'window (effect ÷ effect at lag 0)' }));
  body.push(layerKey(report.layers.map((l) => l.layer), colorOf, box.left + box.width + 24, box.top + 8, box.height - 16));
  return svgDocument(FIGURE_WIDTH, box.top + box.height + 52, title, body);
}
