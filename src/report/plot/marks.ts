import { element } from './svg.js';

/** How one data series looks: colour, line dash, marker shape and fill. */
export interface SeriesStyle {
  color: string;
  dashed?: boolean;
  marker?: MarkerShape;
  /** Open markers (white fill) tell a second series apart in black-and-white print. */
  hollow?: boolean;
  lineWidth?: number;
}

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'none';

export const markerShapes: readonly MarkerShape[] = ['circle', 'square', 'triangle', 'diamond'];

/** A polyline through the points, broken where a point is missing (null). */
export function line(points: readonly ([number, number] | null)[], style: SeriesStyle): string {
  let path = '';
  let drawing = false;
  for (const point of points) {
    if (point === null) {
      drawing = false;
      continue;
    }
    path += `${drawing ? 'L' : 'M'}${round(point[0])} ${round(point[1])}`;
    drawing = true;
  }
  if (path === '') return '';
  return element('path', {
    d: path, fill: 'none', stroke: style.color, 'stroke-width': style.lineWidth ?? 1.8,
    'stroke-dasharray': style.dashed ? '5 3' : undefined, 'stroke-linejoin': 'round', 'stroke-linecap': 'round',
  });
}

export function marker(x: number, y: number, style: SeriesStyle, size = 3.5): string {
  const shape = style.marker ?? 'circle';
  const paint = { fill: style.hollow ? '#ffffff' : style.color, stroke: style.color, 'stroke-width': 1.4 };
  switch (shape) {
    case 'none': return '';
    case 'circle': return element('circle', { cx: x, cy: y, r: size, ...paint });
    case 'square': return element('rect', { x: x - size * 0.9, y: y - size * 0.9, width: size * 1.8, height: size * 1.8, ...paint });
    case 'triangle': return element('path', { d: `M${round(x)} ${round(y - size * 1.2)}L${round(x + size * 1.1)} ${round(y + size * 0.8)}L${round(x - size * 1.1)} ${round(y + size * 0.8)}Z`, ...paint });
    case 'diamond': return element('path', { d: `M${round(x)} ${round(y - size * 1.3)}L${round(x + size * 1.1)} ${round(y)}L${round(x)} ${round(y + size * 1.3)}L${round(x - size * 1.1)} ${round(y)}Z`, ...paint });
  }
}

/** A vertical error bar with caps, from yLow to yHigh (pixels). */
export function errorBar(x: number, yLow: number, yHigh: number, color: string, cap = 3): string {
  const d = `M${round(x)} ${round(yLow)}V${round(yHigh)}M${round(x - cap)} ${round(yLow)}H${round(x + cap)}M${round(x - cap)} ${round(yHigh)}H${round(x + cap)}`;
  return element('path', { class: 'error-bar', d, stroke: color, 'stroke-width': 1.2, fill: 'none' });
}

/** A shaded band between an upper and a lower edge sharing x positions. */
export function band(upper: readonly [number, number][], lower: readonly [number, number][], color: string, opacity = 0.18): string {
  if (upper.length === 0) return '';
  const edge = [...upper, ...lower.slice().reverse()].map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${round(x)} ${round(y)}`).join('');
  return element('path', { d: `${edge}Z`, fill: color, 'fill-opacity': opacity, stroke: 'none' });
}

function round(value: number): number {
  const rounded = Math.round(value * 100) / 100;
  return rounded === 0 ? 0 : rounded;
}
