import { gridStart } from './gridStart.js';

/**
 * The window model of docs/method.md §5 and its two one-component restrictions:
 *   f(Δ) = c·(Δ + 1)^(−a) + (1 − c)·exp(−b·Δ),   a, b in [0, 10], c in [0, 1].
 * Every variant has f(0) = 1, as every measured window has W(0) = 1.
 *
 * @module
 */

/** The window model's parameters. */
export interface CurveParameters {
  /** Power-law exponent; NaN in the exponential-only model (it has no power-law part). */
  a: number;
  /** Exponential rate per word; NaN in the power-law-only model. */
  b: number;
  /** Weight of the power law. */
  c: number;
}

export const PARAMETER_BOUNDS = { a: [0, 10], b: [0, 10], c: [0, 1] } as const;

/**
 * The power-law term of f(Δ), c·(Δ + 1)^(−a); 0 when its weight is 0, so NaN a in a one-component model does no
 * harm.
 */
export function powerLawTerm({ a, c }: CurveParameters, lag: number): number {
  return powerLawTermOf(a, c, lag);
}

/** powerLawTerm from the numbers themselves (for loops over typed arrays of fits: no object per call). */
export function powerLawTermOf(a: number, c: number, lag: number): number {
  return c > 0 ? c * Math.pow(lag + 1, -a) : 0;
}

/** The exponential term of f(Δ), (1 − c)·exp(−b·Δ); 0 when its weight is 0 (so NaN b does no harm). */
export function exponentialTerm({ b, c }: CurveParameters, lag: number): number {
  return exponentialTermOf(b, c, lag);
}

/** exponentialTerm from the numbers themselves. */
export function exponentialTermOf(b: number, c: number, lag: number): number {
  return c < 1 ? (1 - c) * Math.exp(-b * lag) : 0;
}

/** f(Δ), the sum of the two terms. */
export function windowCurve(parameters: CurveParameters, lag: number): number {
  return powerLawTerm(parameters, lag) + exponentialTerm(parameters, lag);
}

export type CurveModelName = 'exponential' | 'powerLaw' | 'mixture';

/**
 * A model as the optimizer sees it: a parameter vector, its bounds, f and ∂f/∂θ, and where to start.
 * Every model is the mixture with some of θ = (a, b, c) held fixed: its vector holds the free ones, in order.
 */
export interface CurveModel {
  name: CurveModelName;
  /** Indices into (a, b, c) of the model's vector, in order. */
  freeParameters: readonly number[];
  /** (a, b, c) with the fixed ones set (the free ones are overwritten by the vector). */
  fixedValues: readonly [number, number, number];
  minValues: number[];
  maxValues: number[];
  toParameters(values: readonly number[]): CurveParameters;
  value(values: number[]): (lag: number) => number;
  gradient(values: number[]): (lag: number) => number[];
  /** How many starts `starts` gives, for any window. */
  startCount: number;
  /** Starting vectors for a window (several: the fit keeps the lowest error). */
  starts(window: ArrayLike<number>): number[][];
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** −ln W(1), the rate a pure exponential through W(1) would have; 1 when W(1) is not usable. */
function rateFromFirstLag(window: ArrayLike<number>): number {
  const first = window[1];
  return first > 0 && first < 1 ? -Math.log(first) : 1;
}

/**
 * Tail slopes between lag 1 and the last lag, for starts near the two local minima (docs/method.md §5): the
 * log-log slope (a power-law tail) and the log-linear slope (an exponential tail). Null when the tail is not
 * positive and falling, or there are fewer than 3 lags.
 */
function tailSlopes(window: ArrayLike<number>): { first: number; powerSlope: number; exponentialSlope: number } | null {
  const maxLag = window.length - 1;
  const first = window[1];
  const last = window[maxLag];
  if (maxLag < 2 || !(first > 0 && last > 0 && first > last)) return null;
  const ratio = Math.log(first / last);
  return { first, powerSlope: ratio / Math.log((maxLag + 1) / 2), exponentialSlope: ratio / (maxLag - 1) };
}

export const mixtureModel: CurveModel = {
  name: 'mixture',
  freeParameters: [0, 1, 2],
  fixedValues: [NaN, NaN, NaN],
  startCount: 6,
  minValues: [PARAMETER_BOUNDS.a[0], PARAMETER_BOUNDS.b[0], PARAMETER_BOUNDS.c[0]],
  maxValues: [PARAMETER_BOUNDS.a[1], PARAMETER_BOUNDS.b[1], PARAMETER_BOUNDS.c[1]],
  toParameters: ([a, b, c]) => ({ a, b, c }),
  value: ([a, b, c]) => (lag) => c * Math.pow(lag + 1, -a) + (1 - c) * Math.exp(-b * lag),
  gradient: ([a, b, c]) => (lag) => {
    const powerLaw = Math.pow(lag + 1, -a);
    const exponential = Math.exp(-b * lag);
    return [-c * Math.log(lag + 1) * powerLaw, -(1 - c) * lag * exponential, powerLaw - exponential];
  },
  starts(window) {
    const rate = clamp(rateFromFirstLag(window), 0.05, 9);
    const starts = [
      [1, 1, 0.5], // the authors' start
      [1, rate, 0.1], // near a pure exponential
      [clamp(rate / Math.LN2, 0.05, 9), 1, 0.9], // near a pure power law
    ];
    const slopes = tailSlopes(window);
    if (slopes) {
      // power-law tail c·(Δ+1)^(−a) through W(1) and W(maxLag), exponential shrunk to a spike (large b)
      const a = clamp(slopes.powerSlope, 0.02, 9);
      starts.push([a, 8, clamp(slopes.first * Math.pow(2, a), 0.02, 0.98)]);
      // exponential tail (1 − c)·exp(−bΔ) through the same points, power law shrunk to a spike (large a)
      const b = clamp(slopes.exponentialSlope, 0.01, 9);
      starts.push([8, b, clamp(1 - slopes.first * Math.exp(b), 0.02, 0.98)]);
    } else {
      starts.push([0.5, 8, 0.5], [8, 0.2, 0.7]);
    }
    starts.push(gridStart(window));
    return starts;
  },
};

export const exponentialModel: CurveModel = {
  name: 'exponential',
  // a = 0 with c = 0: the power law carries no weight and contributes nothing (not even NaN)
  freeParameters: [1],
  fixedValues: [0, NaN, 0],
  startCount: 3,
  minValues: [PARAMETER_BOUNDS.b[0]],
  maxValues: [PARAMETER_BOUNDS.b[1]],
  toParameters: ([b]) => ({ a: NaN, b, c: 0 }),
  value: ([b]) => (lag) => Math.exp(-b * lag),
  gradient: ([b]) => (lag) => [-lag * Math.exp(-b * lag)],
  starts: (window) => [[clamp(rateFromFirstLag(window), 0, 10)], [0.05], [2]],
};

export const powerLawModel: CurveModel = {
  name: 'powerLaw',
  freeParameters: [0],
  fixedValues: [NaN, 0, 1],
  startCount: 3,
  minValues: [PARAMETER_BOUNDS.a[0]],
  maxValues: [PARAMETER_BOUNDS.a[1]],
  toParameters: ([a]) => ({ a, b: NaN, c: 1 }),
  value: ([a]) => (lag) => Math.pow(lag + 1, -a),
  gradient: ([a]) => (lag) => [-Math.log(lag + 1) * Math.pow(lag + 1, -a)],
  starts: (window) => [[clamp(rateFromFirstLag(window) / Math.LN2, 0, 10)], [0.1], [3]],
};

export const CURVE_MODELS: Record<CurveModelName, CurveModel> = {
  exponential: exponentialModel,
  powerLaw: powerLawModel,
  mixture: mixtureModel,
};

/** Sum of squared errors of the model with `values` against a window (for held-out scoring). */
export function sumOfSquaredErrors(model: CurveModel, values: number[], window: ArrayLike<number>): number {
  const curve = model.value(values);
  let sse = 0;
  for (let lag = 0; lag < window.length; lag++) sse += (window[lag] - curve(lag)) ** 2;
  return sse;
}
