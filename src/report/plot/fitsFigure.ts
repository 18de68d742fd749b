import { windowCurve } from '../../analysis/index.js';
import { formatNumber } from '../numberFormat.js';
import type { Report, ReportLayer } from '../schema.js';
import { axes, gridLines, zeroLine, type PlotBox } from './axes.js';
import { figureHeader, FIGURE_WIDTH, panelTitle } from './layout.js';
import { horizontalLegend, type LegendEntry } from './legend.js';
import { band, line, marker, type SeriesStyle } from './marks.js';
import { extent, linearScale, type LinearScale } from './scale.js';
import { smallMultiples } from './smallMultiples.js';
import { element, group, svgDocument } from './svg.js';
import { readoutSides } from '../reportParts.js';

/** Fit against data, one small panel per layer: the measured window, its fitted curve, and the spread over units. */
const styles = {
  data: { color: '#222222', marker: 'circle', hollow: false } satisfies SeriesStyle,
  mixture: { color: '#0072b2', lineWidth: 2 } satisfies SeriesStyle,
  exponential: { color: '#d55e00', dashed: true, lineWidth: 1.4 } satisfies SeriesStyle,
  powerLaw: { color: '#009e73', dashed: true, lineWidth: 1.4 } satisfies SeriesStyle,
  units: { color: '#0072b2' } satisfies SeriesStyle,
};

export function fitsFigure(report: Report, subtitle: string): string {
  const title = 'Fitted windows against the measured windows';
  const header = figureHeader(title, subtitle);
  const withComparison = report.layers.some((l) => l.comparison);
  const entries: LegendEntry[] = [
    denseLags(report.settings.maxLag + 1)
      ? { label: 'population window', style: { color: '#555555', lineWidth: 1 } }
      : { label: 'population window', style: styles.data, swatch: 'marker' },
    { label: 'fit: c·(Δ+1)^−a + (1−c)·e^(−bΔ)', style: styles.mixture },
    { label: 'unit windows, quartiles', style: styles.units, swatch: 'band' },
  ];
  if (withComparison) entries.push({ label: 'exponential only', style: styles.exponential }, { label: 'power law only', style: styles.powerLaw });
  const legend = horizontalLegend(entries, 60, header.bottom, FIGURE_WIDTH - 76);
  const maxLag = report.settings.maxLag;
  const twoSided = report.layers.some((l) => l.future);
  const sides = (l: ReportLayer) => (l.future ? [l, l.future] : [l]);
  const readouts = readoutSides(report);
  const [low, high] = extent([
    ...report.layers.flatMap((l) => sides(l).flatMap((side) => [...side.window, ...side.unitWindow.q25, ...side.unitWindow.q75])),
    ...readouts.flatMap(([, side]) => side.window),
  ], [0, 1]);
  const grid = smallMultiples(report.layers.length + readouts.length, header.bottom + legend.height + 8, (cell) => {
    const x = linearScale(twoSided ? -maxLag : 0, maxLag, cell.box.left, cell.box.left + cell.box.width, { integer: true, exact: true, count: 4 });
    const y = linearScale(Math.min(0, low), Math.max(1, high), cell.box.top + cell.box.height, cell.box.top, { count: 3, pad: 0.04 });
    const axesOfCell = axes(cell.box, x, y, { xTickLabels: cell.showXTicks, yTickLabels: cell.showYTicks });
    if (cell.index >= report.layers.length) {
      // The output read-out's panels come last, framed in black: the output is not a layer.
      const [label, side] = readouts[cell.index - report.layers.length];
      return group({ class: 'panel', 'data-label': label }, [
        panelTitle(cell.box, label === 'output' ? 'output (log p)' : 'output: divergence (KL)', `c = ${formatNumber(side.fit.c, 2)}`),
        layerPanel({ window: side.window, fit: { population: side.fit }, comparison: label === 'output' ? report.output?.comparison : undefined }, cell.box, x, y),
        element('rect', { x: cell.box.left, y: cell.box.top, width: cell.box.width, height: cell.box.height, fill: 'none', stroke: '#000000', 'stroke-width': 2 }),
        axesOfCell,
      ]);
    }
    const layer = report.layers[cell.index];
    return group({ class: 'panel', 'data-label': `layer ${layer.layer}` }, [
      panelTitle(cell.box, `layer ${layer.layer}`, `c = ${formatNumber(layer.fit.population.c, 2)}`),
      layerPanel(layer, cell.box, x, y),
      axesOfCell,
    ]);
  }, { x: twoSided ? 'lag t − k (words; < 0: the swapped word comes after the measured word)' : 'lag Δ (words)', y: 'window (effect ÷ effect at lag 0)' });
  return svgDocument(FIGURE_WIDTH, grid.height, title, [header.svg, legend.svg, grid.svg]);
}

/** One side of a window as a panel draws it: its data, unit quartiles and fit, at lags × direction (−1: the future side). */
interface PanelSide {
  window: readonly number[];
  /** Absent for the output read-out, which has no units to spread over. */
  unitWindow?: { q25: readonly number[]; q75: readonly number[] };
  fit: { population: { a: number; b: number; c: number } };
  direction: 1 | -1;
}

/** What a panel draws of a layer (or of the output read-out): its window sides, and the comparison's curves. */
type PanelSubject = Omit<PanelSide, 'direction'> & { future?: Omit<PanelSide, 'direction'>; comparison?: ReportLayer['comparison'] };

function layerPanel(layer: PanelSubject, box: PlotBox, x: LinearScale, y: LinearScale): string {
  const sides: PanelSide[] = [{ ...layer, direction: 1 }];
  if (layer.future) sides.push({ ...layer.future, direction: -1 });
  const parts = [gridLines(box, y), zeroLine(box, y)];
  const lagCount = layer.window.length;
  const fine = Array.from({ length: (lagCount - 1) * 4 + 1 }, (_, i) => i / 4);
  const curve = (direction: number, f: (lag: number) => number) => fine.map((lag): [number, number] => [x(direction * lag), clampTo(y, f(lag))]);
  for (const side of sides) {
    const lags = side.window.map((_, lag) => lag);
    const at = (lag: number) => x(side.direction * lag);
    const units = side.unitWindow;
    if (units) parts.push(band(lags.map((lag) => [at(lag), y(units.q75[lag])]), lags.map((lag) => [at(lag), y(units.q25[lag])]), styles.units.color));
    if (denseLags(lagCount)) parts.push(line(lags.map((lag) => [at(lag), y(side.window[lag])]), { color: '#555555', lineWidth: 1 }));
  }
  const comparison = layer.comparison;
  if (comparison) {
    const { exponential, powerLaw } = comparison.models;
    const { b } = exponential, { a } = powerLaw;
    if (b !== null) parts.push(line(curve(1, (lag) => windowCurve({ a: NaN, b, c: 0 }, lag)), styles.exponential));
    if (a !== null) parts.push(line(curve(1, (lag) => windowCurve({ a, b: NaN, c: 1 }, lag)), styles.powerLaw));
  }
  for (const side of sides) parts.push(line(curve(side.direction, (lag) => windowCurve(side.fit.population, lag)), styles.mixture));
  // Markers go on top of the curves; a dense data line goes under them, so the fits stay visible.
  if (!denseLags(lagCount)) {
    for (const side of sides) side.window.forEach((value, lag) => parts.push(marker(x(side.direction * lag), y(value), styles.data, 2.2)));
  }
  return parts.join('');
}

/** Past about 40 lags a small panel cannot show a marker per lag; the data become a thin line instead. */
function denseLags(count: number): boolean {
  return count > 40;
}

/** A curve may fall below the panel's floor; keep it on the panel. */
function clampTo(y: LinearScale, value: number): number {
  return y(Math.min(y.domain[1], Math.max(y.domain[0], value)));
}
