import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import type { CurveModel } from './curveModel.js';

/**
 * Least squares over Δ = 0..maxLag with ml-levenberg-marquardt (bounds: it clamps each step into
 * [minValues, maxValues], i.e. projected Levenberg–Marquardt; the Jacobian is analytic).
 * The library only stops early when the SSE itself falls below errorTolerance, so a start is run in chunks of
 * chunkIterations and stopped once a chunk no longer lowers the SSE by more than relativeImprovement.
 */
export interface FitSettings {
  /** Iterations per start, at most. */
  maxIterations: number;
  /** Iterations per call of the library, between convergence checks. */
  chunkIterations: number;
  /** A chunk lowering the SSE by less than this fraction ends the start. */
  relativeImprovement: number;
  /** SSE at which the library stops at once (an exact fit). */
  errorTolerance: number;
  /** The library's initial damping λ. */
  damping: number;
}

export const defaultFitSettings: FitSettings = {
  maxIterations: 300,
  chunkIterations: 10,
  relativeImprovement: 1e-6,
  errorTolerance: 1e-18,
  damping: 1e-2,
};

export interface StartFit {
  start: number[];
  values: number[];
  /** Sum of squared errors over Δ = 0..maxLag; NaN when the fit failed. */
  sse: number;
  iterations: number;
}

const lagsCache = new Map<number, number[]>();

/** [0, 1, .., maxLag], shared between fits. */
export function lagsUpTo(maxLag: number): number[] {
  let lags = lagsCache.get(maxLag);
  if (!lags) lagsCache.set(maxLag, (lags = Array.from({ length: maxLag + 1 }, (_, lag) => lag)));
  return lags;
}

export function fitFromStart(model: CurveModel, window: ArrayLike<number>, start: number[], settings: FitSettings = defaultFitSettings): StartFit {
  const data = { x: lagsUpTo(window.length - 1), y: window };
  let values = start.slice();
  let sse = Infinity;
  let iterations = 0;
  while (iterations < settings.maxIterations) {
    const result = levenbergMarquardt(data, model.value, {
      initialValues: values,
      minValues: model.minValues,
      maxValues: model.maxValues,
      jacobianFunction: model.gradient,
      damping: settings.damping,
      maxIterations: Math.min(settings.chunkIterations, settings.maxIterations - iterations),
      errorTolerance: settings.errorTolerance,
    });
    const improvement = sse - result.parameterError;
    values = result.parameterValues;
    iterations += result.iterations;
    const converged = result.iterations === 0 || !(improvement > settings.relativeImprovement * result.parameterError);
    sse = result.parameterError;
    if (converged || !Number.isFinite(sse)) break;
  }
  return { start, values, sse: Number.isFinite(sse) ? sse : NaN, iterations };
}

/** Every start of the model; the caller picks among them. */
export function fitFromEveryStart(model: CurveModel, window: ArrayLike<number>, settings: FitSettings = defaultFitSettings): StartFit[] {
  return model.starts(window).map((start) => fitFromStart(model, window, start, settings));
}

/** The lowest-SSE fit over the model's starts; null when every start failed (e.g. a window with NaN). */
export function bestFit(fits: readonly StartFit[]): StartFit | null {
  let best: StartFit | null = null;
  for (const fit of fits) if (Number.isFinite(fit.sse) && (!best || fit.sse < best.sse)) best = fit;
  return best;
}

/** Sum of squared errors of the model with `values` against a window (for held-out scoring). */
export function sumOfSquaredErrors(model: CurveModel, values: number[], window: ArrayLike<number>): number {
  const curve = model.value(values);
  let sse = 0;
  for (let lag = 0; lag < window.length; lag++) sse += (window[lag] - curve(lag)) ** 2;
  return sse;
}
