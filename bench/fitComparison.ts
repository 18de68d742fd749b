import { fitWindows } from '../src/analysis/index.js';
import { referenceFitWindow } from './referenceCurveFit.js';

/** Today's fitter (ml-levenberg-marquardt) against iw's own on the same windows: rate per core and SSE. */
export interface FitComparison {
  windows: number;
  reference: FitterTiming;
  current: FitterTiming;
  /** current windows/s over reference windows/s, both on one thread. */
  speedUp: number;
  /** Windows whose best SSE is higher than the reference's by more than NOT_WORSE (relative). */
  worse: number;
  /** Windows whose best SSE is lower than the reference's by more than NOT_WORSE (relative). */
  lower: number;
  /** Largest (current − reference) / reference over the windows. */
  largestRelativeExcess: number;
  /** Smallest (most negative) (current − reference) / reference. */
  largestRelativeGain: number;
}

export interface FitterTiming {
  name: string;
  seconds: number;
  windowsPerSecond: number;
}

/** Windows fitted before timing starts (the reference fits every tenth of them: it is slower). */
const WARM_UP_WINDOWS = 300;

/** The tolerance of the issue: no window's SSE more than 1e-9 (relative) above the reference's. */
export const NOT_WORSE = 1e-9;

/**
 * Fits every window with both fitters, part by part with the order alternating (reference first in even
 * parts), so that a change in machine load during the run falls on both alike, after an untimed warm-up. The current fitter's time
 * includes its diagnostics (tail class, alternative, bounds, window sizes); the reference's covers its fits only.
 */
export function compareFitters(windows: Float64Array, points: number, parts = 4): FitComparison {
  const count = Math.floor(windows.length / points);
  const referenceSse = new Float64Array(count);
  const currentSse = new Float64Array(count);
  let referenceSeconds = 0, currentSeconds = 0;
  // untimed warm-up of both, so that the timed parts see compiled code (a run fits thousands of windows)
  const warmUp = windows.subarray(0, Math.min(count, WARM_UP_WINDOWS) * points);
  fitWindows(warmUp, points);
  for (let w = 0; w < warmUp.length / points; w += 10) referenceFitWindow(warmUp.subarray(w * points, (w + 1) * points));
  for (let part = 0; part < parts; part++) {
    const from = Math.floor((part * count) / parts), to = Math.floor(((part + 1) * count) / parts);
    const runReference = () => (referenceSeconds += timed(() => {
      for (let w = from; w < to; w++) referenceSse[w] = referenceFitWindow(windows.subarray(w * points, (w + 1) * points))?.sse ?? NaN;
    }));
    const runCurrent = () => (currentSeconds += timed(() => {
      fitWindows(windows.subarray(from * points, to * points), points).forEach((fit, i) => (currentSse[from + i] = fit?.sse ?? NaN));
    }));
    const order = part % 2 === 0 ? [runReference, runCurrent] : [runCurrent, runReference];
    order.forEach((run) => run());
  }
  return { windows: count, ...sseComparison(referenceSse, currentSse), ...rates(count, referenceSeconds, currentSeconds) };
}

function timed(work: () => void): number {
  const startedAt = performance.now();
  work();
  return (performance.now() - startedAt) / 1000;
}

function rates(count: number, referenceSeconds: number, currentSeconds: number): Pick<FitComparison, 'reference' | 'current' | 'speedUp'> {
  const reference = { name: 'ml-levenberg-marquardt, 5 starts (before)', seconds: referenceSeconds, windowsPerSecond: count / referenceSeconds };
  const current = { name: 'curveFitter, 6 starts + diagnostics (now)', seconds: currentSeconds, windowsPerSecond: count / currentSeconds };
  return { reference, current, speedUp: current.windowsPerSecond / reference.windowsPerSecond };
}

function sseComparison(referenceSse: Float64Array, currentSse: Float64Array) {
  let worse = 0, lower = 0, largestRelativeExcess = -Infinity, largestRelativeGain = Infinity;
  referenceSse.forEach((reference, w) => {
    const relative = (currentSse[w] - reference) / reference;
    if (!(relative <= NOT_WORSE)) worse++;
    if (relative < -NOT_WORSE) lower++;
    largestRelativeExcess = Math.max(largestRelativeExcess, relative);
    largestRelativeGain = Math.min(largestRelativeGain, relative);
  });
  return { worse, lower, largestRelativeExcess, largestRelativeGain };
}
