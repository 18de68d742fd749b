import type { PlotBox } from './axes.js';
import { text, textWidth } from './svg.js';

/** Page width of every figure: fits a journal column at 100 % and a screen without scaling. */
export const FIGURE_WIDTH = 680;
const TITLE_FONT = 16;
const SUBTITLE_FONT = 12;

/** Title and a grey subtitle (wrapped to the figure width); returns the SVG and where content may start. */
export function figureHeader(title: string, subtitle?: string): { svg: string; bottom: number } {
  const parts = [text(16, 26, title, { 'font-size': TITLE_FONT, 'font-weight': 'bold' })];
  let bottom = 36;
  for (const row of subtitle ? wrap(subtitle, FIGURE_WIDTH - 32, SUBTITLE_FONT) : []) {
    parts.push(text(16, bottom + 12, row, { 'font-size': SUBTITLE_FONT, fill: '#555' }));
    bottom += 16;
  }
  return { svg: parts.join(''), bottom: bottom + 6 };
}

/** Boxes for small multiples: `count` panels in rows of `columns`, left to right, top to bottom. */
export function panelGrid(count: number, columns: number, area: { left: number; top: number; width: number }, panel: { height: number; gapX: number; gapY: number }): PlotBox[] {
  const width = (area.width - panel.gapX * (columns - 1)) / columns;
  return Array.from({ length: count }, (_, i) => ({
    left: area.left + (i % columns) * (width + panel.gapX),
    top: area.top + Math.floor(i / columns) * (panel.height + panel.gapY),
    width,
    height: panel.height,
  }));
}

/** A panel title above its box, left-aligned, with an optional note right-aligned on the same line. */
export function panelTitle(box: PlotBox, title: string, note?: string): string {
  const parts = [text(box.left, box.top - 7, title, { 'font-size': 13, 'font-weight': 'bold' })];
  if (note) parts.push(text(box.left + box.width, box.top - 7, note, { 'font-size': 12, 'text-anchor': 'end', fill: '#444' }));
  return parts.join('');
}

function wrap(content: string, width: number, fontSize: number): string[] {
  const rows: string[] = [];
  let row = '';
  for (const word of content.split(' ')) {
    const candidate = row === '' ? word : `${row} ${word}`;
    if (row !== '' && textWidth(candidate, fontSize) > width) {
      rows.push(row);
      row = word;
    } else {
      row = candidate;
    }
  }
  if (row !== '') rows.push(row);
  return rows;
}
