import { bestStart, defaultFitSettings, fitEveryStart, type FitSettings, type StartFits } from './curveFitter.js';
import { exponentialTermOf, mixtureModel, powerLawTermOf, PARAMETER_BOUNDS, type CurveParameters } from './curveModel.js';
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
  return tailOfValues(parameters.a, parameters.b, parameters.c, maxLag);
}

function tailOfValues(a: number, b: number, c: number, maxLag: number): TailKind {
  return powerLawTermOf(a, c, maxLag) >= exponentialTermOf(b, c, maxLag) ? 'powerLaw' : 'exponential';
}

/** A parameter within this fraction of its range from a bound counts as on it (the optimizer creeps up to bounds). */
export const BOUND_TOLERANCE = 1e-6;

/** Parameters on a bound, leaving out one that does not shape the curve (a when c = 0, b when c = 1). */
export function boundsHit(parameters: CurveParameters): BoundHit[] {
  const hits: BoundHit[] = [];
  for (const { name, low, high, slack, atLow, atHigh } of BOUND_CHECKS) {
    if (!parameterMatters(name, parameters)) continue;
    if (parameters[name] <= low + slack) hits.push(atLow);
    if (parameters[name] >= high - slack) hits.push(atHigh);
  }
  return hits;
}

/** Each parameter's bounds, slack and hit names, made once (boundsHit runs on every unit fit). */
const BOUND_CHECKS = (['a', 'b', 'c'] as const).map((name) => {
  const [low, high] = PARAMETER_BOUNDS[name];
  return { name, low, high, slack: BOUND_TOLERANCE * (high - low), atLow: `${name}=${low}` as BoundHit, atHigh: `${name}=${high}` as BoundHit };
});

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
  const other = bestStartOtherThan(fits, w, winner.tail, maxLag);
  const alternative = other >= 0 ? candidate(fits, first + other, maxLag) : null;
  let iterations = 0;
  for (let s = 0; s < fits.startCount; s++) iterations += fits.iterations[first + s];
  // the candidate's fields written out, in its order, rather than spread: this runs once per unit fit
  return {
    parameters: winner.parameters,
    sse: winner.sse,
    tail: winner.tail,
    alternative,
    identified: !alternative || !tied(winner.sse, alternative.sse, options.identificationTolerance, fits.points),
    boundsHit: boundsHit(winner.parameters),
    halfDecayLag: halfDecayLag(winner.parameters, maxLag),
    lag75: lag75(winner.parameters, maxLag),
    iterations,
  };
}

/**
 * bestStart (the lowest-SSE start, −1 when none) among the starts whose end has the other tail than `tail`: read
 * from the typed arrays, with no parameters object or closure per start (windowFitFrom's allocations were a fifth
 * of its time in garbage collection).
 */
function bestStartOtherThan(fits: StartFits, w: number, tail: TailKind, maxLag: number): number {
  const { values, sse, startCount } = fits;
  let best = -1;
  for (let s = 0; s < startCount; s++) {
    const slot = w * startCount + s;
    if (!Number.isFinite(sse[slot]) || tailOfValues(values[slot * 3], values[slot * 3 + 1], values[slot * 3 + 2], maxLag) === tail) continue;
    if (best < 0 || sse[slot] < sse[w * startCount + best]) best = s;
  }
  return best;
}

function candidate(fits: StartFits, slot: number, maxLag: number): CandidateFit {
  const values = fits.values;
  const parameters = { a: values[slot * 3], b: values[slot * 3 + 1], c: values[slot * 3 + 2] };
  return { parameters, sse: fits.sse[slot], tail: tailOf(parameters, maxLag) };
}

/** The worse SSE is within `tolerance` (relative) of the better one, errors below the floor counting as equal. */
function tied(bestSse: number, otherSse: number, tolerance: number, points: number): boolean {
  const floor = SSE_FLOOR_PER_POINT * points;
  return Math.max(otherSse, floor) <= (1 + tolerance) * Math.max(bestSse, floor);
}
