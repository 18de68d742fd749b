import { bestStart, defaultFitSettings, fitEveryStart, type FitSettings, type StartFits } from './curveFitter.js';
import { exponentialTerm, mixtureModel, powerLawTerm, PARAMETER_BOUNDS, type CurveParameters } from './curveModel.js';
import { halfDecayLag, lag75 } from './windowSize.js';

/** Which component carries a fit's tail (the larger term at Δ = maxLag). */
export type TailKind = 'powerLaw' | 'exponential';

export type BoundHit = 'a=0' | 'a=10' | 'b=0' | 'b=10' | 'c=0' | 'c=1';

export interface WindowFitOptions {
  settings: FitSettings;
  /** Relative SSE gap under which the two minima count as tied. Default 0.05 (5 %). */
  identificationTolerance: number;
}

export const defaultWindowFitOptions: WindowFitOptions = { settings: defaultFitSettings, identificationTolerance: 0.05 };

export interface CandidateFit {
  parameters: CurveParameters;
  sse: number;
  tail: TailKind;
}

export interface WindowFit extends CandidateFit {
  /** The best fit whose tail is of the other kind; null when no start ended there. */
  alternative: CandidateFit | null;
  identified: boolean;
  /** Parameters that ended on a bound. */
  boundsHit: BoundHit[];
  /** Δ where the fitted curve falls to 0.5; Infinity when it stays above 0.5 up to maxLag. */
  halfDecayLag: number;
  /** Δ by which 75 % of the area under the fitted curve over 0..maxLag is reached. */
  lag75: number;
  /** Optimizer iterations over all starts. */
  iterations: number;
}

/**
 * SSE below this per point (an rms residual of 1e-6, far below float32 activations' precision after the ratios
 * and medians) is treated as an exact fit when comparing errors, so rounding noise decides nothing.
 */
export const SSE_FLOOR_PER_POINT = 1e-12;

/** Which term of the fitted curve is the larger at Δ = maxLag (ties go to the power law). */
export function tailOf(parameters: CurveParameters, maxLag: number): TailKind {
  return powerLawTerm(parameters, maxLag) >= exponentialTerm(parameters, maxLag) ? 'powerLaw' : 'exponential';
}

/** A parameter within this fraction of its range from a bound counts as on it (the optimizer creeps up to bounds). */
export const BOUND_TOLERANCE = 1e-6;

/** Parameters on a bound, leaving out one that does not shape the curve (a when c = 0, b when c = 1). */
export function boundsHit(parameters: CurveParameters): BoundHit[] {
  const hits: BoundHit[] = [];
  for (const name of ['a', 'b', 'c'] as const) {
    if (!parameterMatters(name, parameters)) continue;
    const [low, high] = PARAMETER_BOUNDS[name];
    const slack = BOUND_TOLERANCE * (high - low);
    if (parameters[name] <= low + slack) hits.push(`${name}=${low}` as BoundHit);
    if (parameters[name] >= high - slack) hits.push(`${name}=${high}` as BoundHit);
  }
  return hits;
}

/**
 * Whether a parameter shapes the curve: a only when the power law has weight (c above 0), b only when the
 * exponential has (c below 1). A parameter that does not is left out of summaries and intervals, since its value
 * is wherever the optimizer happened to leave it.
 */
export function parameterMatters(name: 'a' | 'b' | 'c', parameters: CurveParameters): boolean {
  if (name === 'a') return parameters.c > BOUND_TOLERANCE;
  if (name === 'b') return parameters.c < 1 - BOUND_TOLERANCE;
  return true;
}

/** Fits the mixture to a window ([maxLag + 1], W(0) = 1); null when the fit fails (a non-finite window or error). */
export function fitWindow(window: ArrayLike<number>, options: WindowFitOptions = defaultWindowFitOptions): WindowFit | null {
  return fitWindows(Float64Array.from(window), window.length, options)[0];
}

/** Fits the mixture to each of the windows of `points` lags laid end to end in `windows` (see windowFitFrom). */
export function fitWindows(windows: Float64Array, points: number, options: WindowFitOptions = defaultWindowFitOptions): Array<WindowFit | null> {
  const fits = fitEveryStart(mixtureModel, windows, points, options.settings);
  return Array.from({ length: fits.windowCount }, (_, w) => windowFitFrom(fits, w, options));
}

/**
 * The mixture fit of window `w` (docs/method.md §5) from its starts' fits (the authors' a = 1, b = 1, c = 0.5 among
 * the starts, and starts near each of the two local minima): each start's end is classed by which component
 * carries the tail, a power-law tail (the exponential shrunk to a lag-0 spike) or an exponential tail (the power
 * law shrunk to a spike). The lowest SSE wins; the best of the other class is kept as `alternative`, and when
 * its SSE is within `identificationTolerance` of the winner's the split between power law and exponential is
 * not identified by the data (`identified: false`). Null when every start failed (a window with NaN).
 */
export function windowFitFrom(fits: StartFits, w: number, options: WindowFitOptions = defaultWindowFitOptions): WindowFit | null {
  const best = bestStart(fits, w);
  if (best < 0) return null;
  const maxLag = fits.points - 1;
  const first = w * fits.startCount;
  const winner = candidate(fits, first + best, maxLag);
  const other = bestStart(fits, w, (slot) => tailOf(slotParameters(fits, slot), maxLag) !== winner.tail);
  const alternative = other >= 0 ? candidate(fits, first + other, maxLag) : null;
  let iterations = 0;
  for (let s = 0; s < fits.startCount; s++) iterations += fits.iterations[first + s];
  return {
    ...winner,
    alternative,
    identified: !alternative || !tied(winner.sse, alternative.sse, options.identificationTolerance, fits.points),
    boundsHit: boundsHit(winner.parameters),
    halfDecayLag: halfDecayLag(winner.parameters, maxLag),
    lag75: lag75(winner.parameters, maxLag),
    iterations,
  };
}

function slotParameters(fits: StartFits, slot: number): CurveParameters {
  const values = fits.values;
  return { a: values[slot * 3], b: values[slot * 3 + 1], c: values[slot * 3 + 2] };
}

function candidate(fits: StartFits, slot: number, maxLag: number): CandidateFit {
  const parameters = slotParameters(fits, slot);
  return { parameters, sse: fits.sse[slot], tail: tailOf(parameters, maxLag) };
}

/** The worse SSE is within `tolerance` (relative) of the better one, errors below the floor counting as equal. */
function tied(bestSse: number, otherSse: number, tolerance: number, points: number): boolean {
  const floor = SSE_FLOOR_PER_POINT * points;
  return Math.max(otherSse, floor) <= (1 + tolerance) * Math.max(bestSse, floor);
}
