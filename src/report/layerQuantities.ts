import type { ReportLayer, ReportReadoutWindow } from './schema.js';

/**
 * The per-layer numbers that runs are compared on (by `iw check` and `iw compare`), each read from a layer with
 * its bootstrap interval when the report has one. Yoking quantities are undefined for a report without yoking, and
 * the future side's for a causal model.
 */
export const layerQuantities = [
  'a', 'b', 'c', 'halfDecayLag', 'lag75', 'unitA', 'unitB', 'unitC', 'yoking', 'yokingControl', 'futureC', 'futureHalfDecayLag', 'futureLag75',
] as const;
export type LayerQuantity = (typeof layerQuantities)[number];

export interface QuantityReading {
  /** null only for a half-decay lag beyond maxLag. */
  value: number | null;
  interval?: readonly [number | null, number | null];
}

export const quantityTitles: Record<LayerQuantity, string> = {
  a: 'a: power-law exponent (population fit)',
  b: 'b: exponential rate (population fit)',
  c: 'c: weight of the power law (population fit)',
  halfDecayLag: 'half-decay lag (words)',
  lag75: 'lag75: lag by which 75 % of the area is reached (words)',
  unitA: 'a, median over units',
  unitB: 'b, median over units',
  unitC: 'c, median over units',
  yoking: 'Y: structure yoking (median over units)',
  yokingControl: 'Y over lags 1..L−2 (control)',
  futureC: 'future side: c (population fit)',
  futureHalfDecayLag: 'future side: half-decay lag (words)',
  futureLag75: 'future side: lag75 (words)',
};

export const readQuantity: Record<LayerQuantity, (layer: ReportLayer) => QuantityReading | undefined> = {
  a: (l) => ({ value: l.fit.population.a, interval: l.intervals?.a ?? undefined }),
  b: (l) => ({ value: l.fit.population.b, interval: l.intervals?.b ?? undefined }),
  c: (l) => ({ value: l.fit.population.c, interval: l.intervals?.c ?? undefined }),
  halfDecayLag: (l) => ({ value: l.summary.halfDecayLag, interval: l.intervals?.halfDecayLag }),
  lag75: (l) => ({ value: l.summary.lag75, interval: l.intervals?.lag75 }),
  unitA: (l) => ({ value: l.fit.units.median.a, interval: l.intervals?.unitMedian.a ?? undefined }),
  unitB: (l) => ({ value: l.fit.units.median.b, interval: l.intervals?.unitMedian.b ?? undefined }),
  unitC: (l) => ({ value: l.fit.units.median.c, interval: l.intervals?.unitMedian.c ?? undefined }),
  yoking: (l) => (l.yoking ? { value: l.yoking.median, interval: l.yoking.ci } : undefined),
  yokingControl: (l) => (l.yoking ? { value: l.yoking.controlLagsFrom1.median, interval: l.yoking.controlLagsFrom1.ci } : undefined),
  futureC: (l) => (l.future ? { value: l.future.fit.population.c, interval: l.future.intervals?.c ?? undefined } : undefined),
  futureHalfDecayLag: (l) => (l.future ? { value: l.future.summary.halfDecayLag, interval: l.future.intervals?.halfDecayLag } : undefined),
  futureLag75: (l) => (l.future ? { value: l.future.summary.lag75, interval: l.future.intervals?.lag75 } : undefined),
};

/**
 * The numbers of a window that runs are compared on beyond their intervals, and that the output read-out's two
 * windows (--readout output) have as a layer does: the population fit and the window's two summaries.
 */
export const windowQuantities = ['a', 'b', 'c', 'halfDecayLag', 'lag75'] as const satisfies readonly LayerQuantity[];
export type WindowQuantity = (typeof windowQuantities)[number];

export const readReadoutQuantity: Record<WindowQuantity, (side: ReportReadoutWindow) => QuantityReading> = {
  a: (w) => ({ value: w.fit.a, interval: w.intervals?.a ?? undefined }),
  b: (w) => ({ value: w.fit.b, interval: w.intervals?.b ?? undefined }),
  c: (w) => ({ value: w.fit.c, interval: w.intervals?.c ?? undefined }),
  halfDecayLag: (w) => ({ value: w.summary.halfDecayLag, interval: w.intervals?.halfDecayLag }),
  lag75: (w) => ({ value: w.summary.lag75, interval: w.intervals?.lag75 }),
};
