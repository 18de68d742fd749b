import type { PlotBox } from './axes.js';
import { FIGURE_WIDTH, panelGrid } from './layout.js';
import { text } from './svg.js';

/**
 * A grid of small panels sharing axes: tick labels only on the left column and on the lowest panel of each
 * column, one x label under the grid and one y label beside it.
 */
export interface SmallMultiplesCell {
  box: PlotBox;
  index: number;
  showXTicks: boolean;
  showYTicks: boolean;
}

export function smallMultiples(count: number, top: number, draw: (cell: SmallMultiplesCell) => string, labels: { x: string; y: string }): { svg: string; height: number } {
  const columns = count <= 4 ? 2 : count <= 15 ? 3 : 4;
  const left = 72;
  const boxes = panelGrid(count, columns, { left, top: top + 22, width: FIGURE_WIDTH - left - 16 }, { height: 110, gapX: 22, gapY: 44 });
  const parts = boxes.map((box, index) => draw({
    box,
    index,
    showYTicks: index % columns === 0,
    showXTicks: index + columns >= count,
  }));
  const last = boxes[boxes.length - 1];
  const bottom = last.top + last.height;
  const gridTop = boxes[0].top;
  parts.push(text(left + (FIGURE_WIDTH - left - 16) / 2, bottom + 38, labels.x, { 'text-anchor': 'middle', 'font-size': 13 }));
  const cy = (gridTop + bottom) / 2;
  parts.push(text(22, cy, labels.y, { 'text-anchor': 'middle', 'font-size': 13, transform: `rotate(-90 22 ${cy})` }));
  return { svg: parts.join(''), height: bottom + 52 };
}
