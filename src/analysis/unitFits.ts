import { fitEveryStart, type StartFits } from './curveFitter.js';
import { mixtureModel } from './curveModel.js';
import { quartiles, type Quartiles } from './quantiles.js';
import type { LayerWindows } from './windows.js';
import { defaultWindowFitOptions, parameterMatters, windowFitFrom, type BoundHit, type WindowFit, type WindowFitOptions } from './windowFit.js';

/** Mixture fits of every unit window of a layer, with per-layer medians and quartiles (see layerUnitFitsFrom). */
export interface LayerUnitFits {
  layer: number;
  /** Per unit; NaN for units not fitted (excluded, not in the subset, or failed). */
  a: Float64Array;
  b: Float64Array;
  c: Float64Array;
  sse: Float64Array;
  halfDecayLag: Float64Array;
  lag75: Float64Array;
  /** Per unit: 1 identified, 0 not identified (the two minima tie), −1 not fitted. */
  identified: Int8Array;
  /** Units fitted. */
  fitted: number;
  /** Units left out of the windows (zero lag-0 effect). */
  excluded: number;
  /** Units whose fit failed. */
  failed: number;
  notIdentified: number;
  /** Fitted units whose winning fit has a power-law tail (the rest have an exponential tail). */
  powerLawTail: number;
  /** Fitted units with each parameter on each bound. */
  boundHits: Record<BoundHit, number>;
  /** Fitted units with any (curve-shaping) parameter on a bound. */
  atBound: number;
  summary: { a: Quartiles; b: Quartiles; c: Quartiles; halfDecayLag: Quartiles; lag75: Quartiles };
}

export function emptyBoundHits(): Record<BoundHit, number> {
  return { 'a=0': 0, 'a=10': 0, 'b=0': 0, 'b=10': 0, 'c=0': 0, 'c=1': 0 };
}

type UnitRecord = Omit<LayerUnitFits, 'summary'>;

/** The windows of a layer's units to fit, end to end, and which unit each is. */
export interface UnitWindowBatch {
  /** Unit of each window. */
  units: Int32Array;
  /** [units.length × (maxLag + 1)]. */
  windows: Float64Array;
  /** Chosen units left out of the windows (zero lag-0 effect). */
  excluded: number;
}

/** The included unit windows of `windows` (those of `units` only, when given), in unit order. */
export function unitWindowBatch(windows: LayerWindows, units?: ArrayLike<number>): UnitWindowBatch {
  const points = windows.maxLag + 1;
  const chosen = Array.from(units ?? { length: windows.width }, (unit, i) => (units ? unit : i));
  const included = chosen.filter((u) => windows.includedUnits[u]);
  const batch = new Float64Array(included.length * points);
  included.forEach((u, i) => batch.set(windows.unitWindows.subarray(u * points, (u + 1) * points), i * points));
  return { units: Int32Array.from(included), windows: batch, excluded: chosen.length - included.length };
}

/** Fits the unit windows of `windows` (those of `units` only, when given). */
export function fitLayerUnits(windows: LayerWindows, options: WindowFitOptions = defaultWindowFitOptions, units?: ArrayLike<number>): LayerUnitFits {
  const batch = unitWindowBatch(windows, units);
  return layerUnitFitsFrom(windows, batch, fitEveryStart(mixtureModel, batch.windows, windows.maxLag + 1, options.settings), options);
}

/**
 * A layer's unit fits (docs/method.md §5) and their summary, from the start fits of its batch (fitted in this thread
 * or by the analysis workers): each unit's fit as windowFitFrom picks it, then per-layer medians and quartiles.
 * a is summarised over units whose fit gives the power law weight (c > 0), b over units whose fit gives the
 * exponential weight (c < 1): elsewhere the parameter does not shape the curve (see parameterMatters).
 */
export function layerUnitFitsFrom(windows: LayerWindows, batch: UnitWindowBatch, fits: StartFits, options: WindowFitOptions = defaultWindowFitOptions): LayerUnitFits {
  const record = emptyRecord(windows.layer, windows.width);
  record.excluded = batch.excluded;
  batch.units.forEach((u, i) => {
    const fit = windowFitFrom(fits, i, options);
    if (fit) recordFit(record, u, fit);
    else record.failed++;
  });
  return {
    ...record,
    summary: {
      a: quartiles(record.a), b: quartiles(record.b), c: quartiles(record.c),
      halfDecayLag: quartiles(record.halfDecayLag), lag75: quartiles(record.lag75),
    },
  };
}

function emptyRecord(layer: number, width: number): UnitRecord {
  const perUnit = () => new Float64Array(width).fill(NaN);
  return {
    layer, a: perUnit(), b: perUnit(), c: perUnit(), sse: perUnit(), halfDecayLag: perUnit(), lag75: perUnit(),
    identified: new Int8Array(width).fill(-1),
    fitted: 0, excluded: 0, failed: 0, notIdentified: 0, powerLawTail: 0, boundHits: emptyBoundHits(), atBound: 0,
  };
}

function recordFit(record: UnitRecord, unit: number, fit: WindowFit): void {
  record.fitted++;
  record.a[unit] = parameterMatters('a', fit.parameters) ? fit.parameters.a : NaN;
  record.b[unit] = parameterMatters('b', fit.parameters) ? fit.parameters.b : NaN;
  record.c[unit] = fit.parameters.c;
  record.sse[unit] = fit.sse;
  record.halfDecayLag[unit] = fit.halfDecayLag;
  record.lag75[unit] = fit.lag75;
  record.identified[unit] = fit.identified ? 1 : 0;
  if (!fit.identified) record.notIdentified++;
  if (fit.tail === 'powerLaw') record.powerLawTail++;
  for (const hit of fit.boundsHit) record.boundHits[hit]++;
  if (fit.boundsHit.length > 0) record.atBound++;
}
