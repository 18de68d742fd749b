import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import { mixtureModel, type CurveModel } from '../src/analysis/index.js';

/**
 * The fitter iw used before its own (src/analysis/curveFitter.ts), kept as an independent reference in bench/ (ml-levenberg-marquardt is a devDependency): the tests compare the
 * new fitter's SSE against it, and the bench times both. Not used by a run.
 */
export interface ReferenceFitSettings {
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

export const defaultReferenceFitSettings: ReferenceFitSettings = {
  maxIterations: 300,
  chunkIterations: 10,
  relativeImprovement: 1e-6,
  errorTolerance: 1e-18,
  damping: 1e-2,
};

export interface ReferenceStartFit {
  start: number[];
  values: number[];
  /** Sum of squared errors over Δ = 0..maxLag; NaN when the fit failed. */
  sse: number;
  iterations: number;
}

const lagsCache = new Map<number, number[]>();

/** [0, 1, .., maxLag], shared between fits. */
function lagsUpTo(maxLag: number): number[] {
  let lags = lagsCache.get(maxLag);
  if (!lags) lagsCache.set(maxLag, (lags = Array.from({ length: maxLag + 1 }, (_, lag) => lag)));
  return lags;
}

/**
 * Least squares over Δ = 0..maxLag from one start with ml-levenberg-marquardt (bounds: it clamps each step
 * into [minValues, maxValues], i.e. projected Levenberg–Marquardt; the Jacobian is analytic). The library only
 * stops early when the SSE itself falls below errorTolerance, so a start is run in chunks of chunkIterations
 * and stopped once a chunk no longer lowers the SSE by more than relativeImprovement.
 */
export function referenceFitFromStart(
  model: CurveModel,
  window: ArrayLike<number>,
  start: number[],
  settings: ReferenceFitSettings = defaultReferenceFitSettings,
): ReferenceStartFit {
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

/** Every start of the model (model.starts), fitted by referenceFitFromStart. */
export function referenceFitFromEveryStart(
  model: CurveModel,
  window: ArrayLike<number>,
  settings: ReferenceFitSettings = defaultReferenceFitSettings,
): ReferenceStartFit[] {
  return model.starts(window).map((start) => referenceFitFromStart(model, window, start, settings));
}

/** The lowest-SSE fit among `fits`; null when every one failed. */
export function referenceBestFit(fits: readonly ReferenceStartFit[]): ReferenceStartFit | null {
  let best: ReferenceStartFit | null = null;
  for (const fit of fits) if (Number.isFinite(fit.sse) && (!best || fit.sse < best.sse)) best = fit;
  return best;
}

/** The mixture's starts before the new fitter added its grid start (see gridStart): the first five. */
const REFERENCE_MIXTURE_STARTS = 5;

/** The mixture fit of one window as iw fitted it before: the lowest SSE over its five starts; null when all failed. */
export function referenceFitWindow(window: ArrayLike<number>, settings: ReferenceFitSettings = defaultReferenceFitSettings): ReferenceStartFit | null {
  const starts = mixtureModel.starts(window).slice(0, REFERENCE_MIXTURE_STARTS);
  return referenceBestFit(starts.map((start) => referenceFitFromStart(mixtureModel, window, start, settings)));
}
