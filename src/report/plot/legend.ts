import { line, marker, type SeriesStyle } from './marks.js';
import { element, text, textWidth } from './svg.js';

export interface LegendEntry {
  label: string;
  style: SeriesStyle;
  /** line: a short line with the marker on it; band: a shaded box; marker: the marker alone. */
  swatch?: 'line' | 'band' | 'marker';
}

const LEGEND_FONT = 12;
const SWATCH = 26;
const ROW_HEIGHT = 18;

/** Entries laid out left to right, wrapping within `width`; returns the SVG and the height used. */
export function horizontalLegend(entries: readonly LegendEntry[], left: number, top: number, width: number): { svg: string; height: number } {
  const parts: string[] = [];
  let x = left;
  let y = top;
  for (const entry of entries) {
    const entryWidth = SWATCH + 6 + textWidth(entry.label, LEGEND_FONT) + 18;
    if (x > left && x + entryWidth > left + width) {
      x = left;
      y += ROW_HEIGHT;
    }
    parts.push(swatch(entry, x, y + ROW_HEIGHT / 2), text(x + SWATCH + 6, y + ROW_HEIGHT / 2 + 4, entry.label, { 'font-size': LEGEND_FONT }));
    x += entryWidth;
  }
  return { svg: parts.join(''), height: y - top + ROW_HEIGHT };
}

function swatch(entry: LegendEntry, x: number, y: number): string {
  const kind = entry.swatch ?? 'line';
  if (kind === 'band') return element('rect', { x, y: y - 6, width: SWATCH, height: 12, fill: entry.style.color, 'fill-opacity': 0.18, stroke: 'none' });
  if (kind === 'marker') return marker(x + SWATCH / 2, y, entry.style);
  // A line entry shows a marker only when its series draws them.
  const mark = entry.style.marker && entry.style.marker !== 'none' ? marker(x + SWATCH / 2, y, entry.style) : '';
  return line([[x, y], [x + SWATCH, y]], entry.style) + mark;
}

/**
 * A discrete colour key for layers: one swatch per layer, stacked from top (first layer) to bottom, labelled
 * at a stride that keeps labels from touching.
 */
export function layerKey(layers: readonly number[], colorOf: (layer: number) => string, left: number, top: number, height: number): string {
  const step = Math.min(16, height / Math.max(1, layers.length));
  const stride = Math.max(1, Math.ceil(14 / step));
  const labelled = new Set(layers.map((_, i) => i).filter((i) => i % stride === 0));
  const last = layers.length - 1;
  if (!labelled.has(last)) {
    // Label the last layer too; drop the label before it if the two would touch.
    if ((last % stride) * step < 14) labelled.delete(last - (last % stride));
    labelled.add(last);
  }
  const parts = [text(left, top - 8, 'layer', { 'font-size': LEGEND_FONT, 'font-weight': 'bold' })];
  layers.forEach((layer, i) => {
    const y = top + i * step;
    parts.push(element('rect', { x: left, y, width: 14, height: step, fill: colorOf(layer) }));
    if (labelled.has(i)) parts.push(text(left + 19, y + step / 2 + 4, String(layer), { 'font-size': LEGEND_FONT }));
  });
  return parts.join('');
}
