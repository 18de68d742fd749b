import type { Report } from '../schema.js';
import { axes, gridLines, zeroLine } from './axes.js';
import { layerColor } from './colors.js';
import { FIGURE_WIDTH, figureHeader } from './layout.js';
import { horizontalLegend, layerKey } from './legend.js';
import { readoutSides } from '../reportParts.js';
import { line, type SeriesStyle } from './marks.js';
import { extent, linearScale } from './scale.js';
import { group, svgDocument } from './svg.js';

/** How the output read-out's two windows are drawn beside the layers' (black, thick; the divergence dashed). */
const readoutStyles: Record<string, SeriesStyle> = {
  output: { color: '#000000', lineWidth: 3 },
  divergence: { color: '#000000', lineWidth: 2.2, dashed: true },
};

/**
 * Every layer's population window on one set of axes, coloured from shallow (dark) to deep (light). A bidirectional
 * model's windows have two sides: the future side (the swapped word after the measured one) is drawn at negative lags.
 * With --readout output, the output window and the prediction divergence come last, in black.
 */
export function windowsFigure(report: Report, subtitle: string): string {
  const title = 'Population integration windows';
  const header = figureHeader(title, subtitle);
  const box = { left: 72, top: header.bottom + 22, width: FIGURE_WIDTH - 72 - 92, height: 330 };
  const maxLag = report.settings.maxLag;
  const twoSided = report.layers.some((l) => l.future);
  const x = linearScale(twoSided ? -maxLag : 0, maxLag, box.left, box.left + box.width, { integer: true, exact: true, count: Math.min(10, twoSided ? 2 * maxLag : maxLag) });
  const [low, high] = extent([...report.layers.flatMap((l) => [...l.window, ...(l.future?.window ?? [])]), ...readoutSides(report).flatMap(([, side]) => side.window)], [0, 1]);
  const y = linearScale(Math.min(0, low), Math.max(1, high), box.top + box.height, box.top, { count: 5, pad: 0.03 });
  const first = report.layers[0].layer;
  const last = report.layers[report.layers.length - 1].layer;
  const colorOf = (layer: number) => layerColor(layer, first, last);
  const body = [header.svg, gridLines(box, y), zeroLine(box, y)];
  for (const layer of report.layers) {
    const points = twoSidedPoints(layer.window, layer.future?.window);
    const path = line(points.map(([lag, value]) => [x(lag), y(value)]), { color: colorOf(layer.layer), lineWidth: 1.8 });
    body.push(group({ class: 'series', 'data-label': `layer ${layer.layer}` }, [path]));
  }
  // The output read-out (--readout output) in black, drawn last and thicker: not a layer, so not on the depth scale.
  for (const [label, side] of readoutSides(report)) {
    const path = line(side.window.map((value, lag): [number, number] => [x(lag), y(value)]), readoutStyles[label]);
    body.push(group({ class: 'series', 'data-label': label }, [path]));
  }
  const xLabel = twoSided
    ? 'lag t − k (words from swapped word k to measured word t; < 0: k comes after t)'
    : 'lag Δ (words from the swapped word to the measured word)';
  body.push(axes(box, x, y, { xLabel, yLabel: 'window (effect ÷ effect at lag 0)' }));
  const readouts = readoutSides(report);
  const keyHeight = box.height - 16 - readouts.length * 22;
  body.push(layerKey(report.layers.map((l) => l.layer), colorOf, box.left + box.width + 24, box.top + 8, keyHeight));
  readouts.forEach(([label], i) => {
    const top = box.top + 8 + keyHeight + 10 + i * 22;
    body.push(horizontalLegend([{ label, style: readoutStyles[label] }], box.left + box.width + 4, top, 88).svg);
  });
  return svgDocument(FIGURE_WIDTH, box.top + box.height + 52, title, body);
}

/** [lag, value] from −maxLag (the future side, farthest first) through 0 to maxLag; the usual side alone without a future side. */
export function twoSidedPoints(window: readonly number[], future: readonly number[] | undefined): Array<[number, number]> {
  const usual = window.map((value, lag): [number, number] => [lag, value]);
  if (!future) return usual;
  const before = future.slice(1).map((value, i): [number, number] => [-(i + 1), value]).reverse();
  return [...before, ...usual];
}
