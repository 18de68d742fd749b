import { concatenate } from '../util/index.js';
import type { CurveModel } from './curveModel.js';
import { bestWeight, dot, GRID, gridCurves, weightedError, windowGridSums } from './gridStart.js';

export interface FitSettings {
  /** Trial steps per start, at most (accepted or not). */
  maxIterations: number;
  /** An accepted step lowering the SSE by less than this fraction of it ends the start. */
  relativeImprovement: number;
  /** Damping (relative to the curvature) past which no step lowers the SSE: the start sits in a minimum. */
  maxDamping: number;
}

export const defaultFitSettings: FitSettings = { maxIterations: 400, relativeImprovement: 1e-12, maxDamping: 1e12 };

/** Every start's fit of a batch of windows, in typed arrays (θ = (a, b, c) throughout, fixed parameters included). */
export interface StartFits {
  model: CurveModel['name'];
  windowCount: number;
  /** Lags per window (maxLag + 1). */
  points: number;
  startCount: number;
  /** [window × start × 3]: where each start began (clamped into the bounds). */
  starts: Float64Array;
  /** [window × start × 3]: where each start ended. */
  values: Float64Array;
  /** [window × start]: sum of squared errors over Δ = 0..maxLag; NaN when the window or the fit is not finite. */
  sse: Float64Array;
  /** [window × start]: trial steps taken. */
  iterations: Uint32Array;
}

const LOWER = [0, 0, 0];
const UPPER = [10, 10, 1];
const INITIAL_DAMPING = 1e-3;
const MIN_DAMPING = 1e-12;
/** Diagonal floor of the damping matrix, relative to the largest curvature (a parameter with no effect gets this). */
const CURVATURE_FLOOR = 1e-12;
/** A kept step lowering the SSE by less than this fraction suggests a minimum is near (see descend). */
const NEAR_MINIMUM_GAIN = 1e-6;
/** Times a start may jump to a better basin and descend again (see jumpAlongAxes). */
const MAX_JUMPS = 1;
/** A grid point must beat θ's SSE by this fraction to be jumped to (rounding must not cause jumps). */
const JUMP_MARGIN = 1e-9;
/** Where entry (i, j) of the symmetric JᵀJ sits in Evaluation.curvature. */
const UPPER_TRIANGLE = [0, 1, 2, 1, 3, 4, 2, 4, 5];

/**
 * One evaluation of the curve against a window: its SSE, and, once `derivatives` has run, JᵀJ, the Hessian and
 * Jᵀr. The terms of f at each lag are kept from the SSE pass, so that the sums a refused step never needs are not
 * computed for it, and the accepted step's sums come out as a single pass would give them.
 */
class Evaluation {
  sse = 0;
  /** Whether the sums below belong to this evaluation's θ. */
  hasDerivatives = false;
  /** JᵀJ as aa, ab, ac, bb, bc, cc (the Gauss–Newton curvature; its diagonal scales the damping). */
  readonly gaussNewton = new Float64Array(6);
  /** The Hessian of SSE/2, JᵀJ − Σ r·∂²f/∂θ², laid out as `gaussNewton`. */
  readonly hessian = new Float64Array(6);
  /** Jᵀr: half the SSE's descent direction. */
  readonly gradient = new Float64Array(3);
  /** θ of this evaluation (NaN before the first, so that nothing matches it). */
  readonly theta = new Float64Array(3).fill(NaN);
  /** Per lag: (Δ+1)^(−a), e^(−bΔ) and the residual y − f. */
  readonly powerLaws: Float64Array;
  readonly exponentials: Float64Array;
  readonly residuals: Float64Array;

  constructor(points: number) {
    this.powerLaws = new Float64Array(points);
    this.exponentials = new Float64Array(points);
    this.residuals = new Float64Array(points);
  }
}

/**
 * Scratch for fitting windows of one length; nothing is allocated per step. Create one per batch (or per
 * worker) and call fitStart for each window and start.
 */
export class CurveFitter {
  readonly points: number;
  private readonly logLag: Float64Array;
  private current: Evaluation;
  private trial: Evaluation;
  private readonly theta = new Float64Array(3);
  private readonly candidate = new Float64Array(3);
  private readonly free = new Uint8Array(3);
  /** Free parameters not held on a bound in the current step. */
  private readonly moves = new Uint8Array(3);
  private readonly system = new Float64Array(9);
  private readonly step = new Float64Array(3);
  /** The component held while jumpAlongAxes moves the other along its grid. */
  private readonly fixedCurve: Float64Array;
  /** Σy², Σy·p over the grid's a, Σy·e over its b, for the window of the current fitStart. */
  private readonly windowSums = new Float64Array(1 + 2 * GRID.length);
  /** The window (and offset) windowSums belong to. */
  private summedWindow: ArrayLike<number> | null = null;
  private summedOffset = -1;
  /** The best end point of the current fitStart. */
  private readonly best = new Float64Array(3);
  /** Trial steps of the last fitStart. */
  iterations = 0;

  constructor(points: number) {
    this.points = points;
    this.logLag = Float64Array.from({ length: points }, (_, lag) => Math.log(lag + 1));
    this.fixedCurve = new Float64Array(points);
    this.current = new Evaluation(points);
    this.trial = new Evaluation(points);
  }

  /**
   * Least squares of f(Δ) = c·(Δ+1)^(−a) + (1 − c)·e^(−bΔ) over Δ = 0..points − 1 against window[offset + Δ],
   * by Levenberg–Marquardt with bounds (a, b in [0, 10], c in [0, 1]) handled by an active set and projection:
   * - each step solves (JᵀJ + λ·diag(JᵀJ)) δ = Jᵀr (Marquardt's scaling, so λ means the same for a, b and c)
   *   over the free parameters only: a parameter on a bound whose descent direction points out of the box
   *   is held there for the step (otherwise the clamped step would stall against the bound);
   * - the step is clamped into the box and kept only when it lowers the SSE (the SSE never rises, so the fit
   *   ends in the basin its start leads to); λ shrinks 5× after a kept step and grows 10× after a refused one;
   * - the start ends when a kept step lowers the SSE by less than relativeImprovement of it, when λ passes
   *   maxDamping (no step lowers it: a minimum to rounding), when every parameter is held on a bound (a corner
   *   minimum), when the SSE is exactly 0, or after maxIterations steps.
   * Parameters `model` holds fixed (c = 0 in the exponential model, c = 1 in the power law) never move.
   * Writes the end point into out[outOffset..+3] and returns its SSE (NaN when it is not finite). The window
   * must not be changed in place between two calls with the same `window` and `offset` (sums of it are kept).
   */
  fitStart(
    model: CurveModel,
    window: ArrayLike<number>,
    offset: number,
    start: ArrayLike<number>,
    out: Float64Array,
    outOffset: number,
    settings: FitSettings,
  ): number {
    const { theta, free } = this;
    for (let i = 0; i < 3; i++) {
      theta[i] = Math.min(UPPER[i], Math.max(LOWER[i], start[i]));
      free[i] = model.freeParameters.includes(i) ? 1 : 0;
    }
    let iterations = 0;
    let bestSse = NaN;
    for (let jump = 0; jump <= MAX_JUMPS; jump++) {
      iterations += this.descend(window, offset, settings, settings.maxIterations - iterations);
      // keep the best end point: a jump's grid error is computed from sums, and rounding must not cost a basin
      if (!(this.current.sse >= bestSse)) {
        bestSse = this.current.sse;
        this.best.set(theta);
      }
      if (jump === MAX_JUMPS || !(model.freeParameters.length === 3 && this.jumpAlongAxes(window, offset, bestSse))) break;
    }
    this.iterations = iterations;
    out.set(this.best, outOffset);
    return Number.isFinite(bestSse) ? bestSse : NaN;
  }

  /** The damped, bounded steps from θ until one of fitStart's ends; returns the trial steps taken. */
  private descend(window: ArrayLike<number>, offset: number, settings: FitSettings, maxIterations: number): number {
    const { theta } = this;
    this.evaluate(window, offset, theta, this.current);
    let damping = INITIAL_DAMPING;
    let growth = 2;
    let iterations = 0;
    // whether θ may already be a minimum (worth the test in boundedStep): after a refused step or a small gain
    let nearMinimum = false;
    while (iterations < maxIterations && Number.isFinite(this.current.sse) && this.current.sse > 0) {
      if (!this.current.hasDerivatives) this.derivatives(this.current);
      const before = this.current.sse;
      const predicted = this.boundedStep(damping, nearMinimum ? settings.relativeImprovement : 0);
      if (Number.isNaN(predicted)) {
        // neither curvature is positive definite at this damping
        damping *= 10;
        if (damping > settings.maxDamping) break;
        continue;
      }
      if (predicted === 0) break;
      if (!(predicted > 0)) {
        // the clamped step is not a descent step by the local model: shorten it
        damping *= growth;
        growth *= 2;
        if (damping > settings.maxDamping) break;
        continue;
      }
      iterations++;
      this.evaluate(window, offset, this.candidate, this.trial);
      const actual = before - this.trial.sse;
      if (actual > 0) {
        const previous = this.current;
        this.current = this.trial;
        this.trial = previous;
        copy3(this.candidate, theta);
        nearMinimum = actual < NEAR_MINIMUM_GAIN * before;
        damping = Math.max(MIN_DAMPING, damping * nielsenShrink(actual / predicted));
        growth = 2;
        if (actual <= settings.relativeImprovement * before) break;
      } else {
        nearMinimum = true;
        damping *= growth;
        growth *= 2;
        if (damping > settings.maxDamping) break;
      }
    }
    return iterations;
  }

  /**
   * Looks along a and along b for a better basin, with c at its best for each (f = e + c·(p − e) is linear in c,
   * so that best has a closed form): for every value v on the grid, the SSE at (v, b, c*) and at (a, v, c*).
   * The steps alone cannot leave a basin, and near c = 1 (or 0) the landscape is a long ridge along b (or a)
   * with several basins: on the face c = 1 itself b has no gradient at all. If a grid point beats θ, θ moves
   * there (its SSE is lower by construction) and this returns true so that the steps go on from it.
   */
  private jumpAlongAxes(window: ArrayLike<number>, offset: number, sse: number): boolean {
    const { theta, points, logLag, windowSums } = this;
    const grid = gridCurves(points);
    if (this.summedWindow !== window || this.summedOffset !== offset) {
      // Σy², and Σy·p, Σy·e for every grid curve: the window's share of every grid point's error, summed once
      // for all starts of a window (fitEveryStart does not change a window between its starts)
      windowGridSums(window, offset, points, windowSums);
      this.summedWindow = window;
      this.summedOffset = offset;
    }
    const target = sse * (1 - JUMP_MARGIN);
    let bestSse = target, bestAxis = -1, bestIndex = -1, bestC = NaN;
    for (let axis = 0; axis < 2; axis++) {
      // along a the exponential e^(−bΔ) stays; along b the power law (Δ+1)^(−a) stays, which the last
      // evaluation (at θ: descend ends there) already holds
      const fixedCurve = axis === 1 && this.current.theta[0] === theta[0] ? this.current.powerLaws : this.fixedCurve;
      if (fixedCurve === this.fixedCurve) {
        for (let lag = 0; lag < points; lag++) fixedCurve[lag] = axis === 0 ? Math.exp(-theta[1] * lag) : Math.exp(-theta[0] * logLag[lag]);
      }
      const fixedWithWindow = dot(window, offset, fixedCurve, 0, points);
      const fixedSquare = dot(fixedCurve, 0, fixedCurve, 0, points);
      const curves = axis === 0 ? grid.powerLaws : grid.exponentials;
      const squares = axis === 0 ? grid.powerSquares : grid.exponentialSquares;
      for (let index = 0; index < GRID.length; index++) {
        const product = dot(curves[index], 0, fixedCurve, 0, points);
        const movingWithWindow = windowSums[1 + axis * GRID.length + index];
        // this grid point's curves p and e, as sums: Σy·p, Σy·e, Σp², Σe² (and Σp·e, the product)
        const yp = axis === 0 ? movingWithWindow : fixedWithWindow;
        const ye = axis === 0 ? fixedWithWindow : movingWithWindow;
        const pp = axis === 0 ? squares[index] : fixedSquare;
        const ee = axis === 0 ? fixedSquare : squares[index];
        const errorAt = weightedError(windowSums[0], yp, ye, pp, ee, product);
        if (errorAt < bestSse) {
          bestSse = errorAt;
          bestAxis = axis;
          bestIndex = index;
          bestC = bestWeight(yp, ye, pp, ee, product);
        }
      }
    }
    if (bestAxis < 0) return false;
    theta[bestAxis] = GRID[bestIndex];
    theta[2] = bestC;
    return true;
  }

  /**
   * The SSE at θ, in one pass over the lags (one exponential per lag; ln(Δ+1) is precomputed), keeping each lag's
   * terms and residual for `derivatives`.
   */
  private evaluate(window: ArrayLike<number>, offset: number, theta: Float64Array, into: Evaluation): void {
    const a = theta[0], b = theta[1], c = theta[2];
    const { logLag, points } = this;
    const { powerLaws, exponentials, residuals } = into;
    // a step that leaves a where it was (held on a bound, or fixed by the model) leaves the power law too
    const samePowerLaw = a === into.theta[0];
    if (!samePowerLaw && a === this.current.theta[0]) powerLaws.set(this.current.powerLaws);
    const keptPowerLaw = samePowerLaw || a === this.current.theta[0];
    let sse = 0;
    // e^(−bΔ) as a running product of e^(−b): one exponential per evaluation instead of one per lag
    const decay = Math.exp(-b);
    let exponential = 1;
    for (let lag = 0; lag < points; lag++, exponential *= decay) {
      const powerLaw = keptPowerLaw ? powerLaws[lag] : Math.exp(-a * logLag[lag]);
      const residual = window[offset + lag] - (c * powerLaw + (1 - c) * exponential);
      powerLaws[lag] = powerLaw;
      exponentials[lag] = exponential;
      residuals[lag] = residual;
      sse += residual * residual;
    }
    into.sse = sse;
    copy3(theta, into.theta);
    into.hasDerivatives = false;
  }

  /** JᵀJ, the Hessian of SSE/2 and Jᵀr of an evaluation, from the terms and residuals its SSE pass kept. */
  private derivatives(into: Evaluation): void {
    const c = into.theta[2];
    const { logLag, points } = this;
    const { powerLaws, exponentials, residuals } = into;
    let aa = 0, ab = 0, ac = 0, bb = 0, bc = 0, cc = 0, ga = 0, gb = 0, gc = 0;
    // Σ r·∂²f/∂θ² (f_ab = f_cc = 0): f_aa = c·ln²(Δ+1)·p, f_ac = −ln(Δ+1)·p, f_bb = (1 − c)·Δ²·e, f_bc = Δ·e
    let raa = 0, rac = 0, rbb = 0, rbc = 0;
    for (let lag = 0; lag < points; lag++) {
      const log = logLag[lag];
      const powerLaw = powerLaws[lag];
      const exponential = exponentials[lag];
      const residual = residuals[lag];
      const da = -c * log * powerLaw;
      const db = -(1 - c) * lag * exponential;
      const dc = powerLaw - exponential;
      aa += da * da; ab += da * db; ac += da * dc; bb += db * db; bc += db * dc; cc += dc * dc;
      ga += da * residual; gb += db * residual; gc += dc * residual;
      raa += residual * log * log * powerLaw;
      rac += residual * log * powerLaw;
      rbb += residual * lag * lag * exponential;
      rbc += residual * lag * exponential;
    }
    const j = into.gaussNewton;
    j[0] = aa; j[1] = ab; j[2] = ac; j[3] = bb; j[4] = bc; j[5] = cc;
    const h = into.hessian;
    h[0] = aa - c * raa; h[1] = ab; h[2] = ac + rac; h[3] = bb - (1 - c) * rbb; h[4] = bc - rbc; h[5] = cc;
    into.gradient[0] = ga; into.gradient[1] = gb; into.gradient[2] = gc;
    into.hasDerivatives = true;
  }

  /**
   * The damped Newton step from θ over the parameters not held on a bound, clamped into the box, in
   * `candidate`: it solves (H + λ·diag(JᵀJ)) δ = Jᵀr with H the Hessian of SSE/2, or with JᵀJ (Gauss–Newton,
   * never indefinite) where that damped Hessian is not positive definite (e.g. on c = 0, where a has no
   * curvature of its own but couples to c). Returns the SSE decrease the quadratic model predicts for the
   * clamped step: 0 when θ is a minimum to `tolerance` (tested only when it is above 0) or no parameter may
   * move (a corner the descent direction points out of), NaN when neither system can be solved at this damping.
   */
  private boundedStep(damping: number, tolerance: number): number {
    const { theta, candidate, free, moves, step } = this;
    const g = this.current.gradient;
    let moving = 0;
    for (let i = 0; i < 3; i++) {
      const pushedOut = (theta[i] <= LOWER[i] && g[i] < 0) || (theta[i] >= UPPER[i] && g[i] > 0);
      moves[i] = free[i] && !pushedOut ? 1 : 0;
      moving += moves[i];
    }
    if (moving === 0) return 0;
    // the decrease an undamped Gauss–Newton step over the moving parameters promises, (Jᵀr)ᵀ(JᵀJ)⁻¹(Jᵀr): when
    // negligible against the SSE, θ is a minimum (on the box) to this tolerance, whatever the damping
    if (tolerance > 0 && this.solveDamped(this.current.gaussNewton, CURVATURE_FLOOR)) {
      let reachable = 0;
      for (let i = 0; i < 3; i++) reachable += step[i] * g[i];
      if (!(reachable > tolerance * this.current.sse)) return 0;
    }
    let curvature = this.current.hessian;
    if (!this.solveDamped(curvature, damping)) {
      curvature = this.current.gaussNewton;
      if (!this.solveDamped(curvature, damping)) return NaN;
    }
    for (let i = 0; i < 3; i++) {
      candidate[i] = Math.min(UPPER[i], Math.max(LOWER[i], theta[i] + step[i]));
      step[i] = candidate[i] - theta[i];
    }
    // SSE(θ) − SSE(θ + δ) ≈ 2δᵀJᵀr − δᵀHδ
    let predicted = 0;
    for (let i = 0; i < 3; i++) {
      predicted += 2 * step[i] * g[i];
      for (let k = 0; k < 3; k++) predicted -= step[i] * curvature[UPPER_TRIANGLE[i * 3 + k]] * step[k];
    }
    return predicted;
  }

  /**
   * Solves (curvature + λ·diag(JᵀJ)) δ = Jᵀr into `step` over the moving parameters (a held parameter's row and
   * column are the identity's, so δ = 0 there); false when that matrix is not positive definite.
   */
  private solveDamped(curvature: Float64Array, damping: number): boolean {
    const { moves, system, step } = this;
    const scale = this.current.gaussNewton;
    const g = this.current.gradient;
    const floor = CURVATURE_FLOOR * Math.max(scale[0], scale[3], scale[5], Number.MIN_VALUE);
    for (let i = 0; i < 3; i++) {
      for (let k = 0; k < 3; k++) system[i * 3 + k] = moves[i] && moves[k] ? curvature[UPPER_TRIANGLE[i * 3 + k]] : i === k ? 1 : 0;
      if (moves[i]) system[i * 4] += damping * Math.max(scale[UPPER_TRIANGLE[i * 4]], floor);
      step[i] = moves[i] ? g[i] : 0;
    }
    return solveSymmetric3(system, step);
  }
}

/**
 * Nielsen's update of λ after a kept step: max(1/3, 1 − (2·gain − 1)³), shrinking λ the more, the better the local
 * model predicted the decrease (gain = actual / predicted decrease).
 */
export function nielsenShrink(gain: number): number {
  const t = 2 * gain - 1;
  // (t ≥ 0.8737)³ ≥ 0.66694 > 2/3 whatever pow's last bit, so the maximum is 1/3: skip pow, which costs more than
  // the rest of a step (V8 calls out to fdlibm); t·t·t would round differently from ** and change the fits
  return t >= 0.8737 ? 1 / 3 : Math.max(1 / 3, 1 - t ** 3);
}

function copy3(from: ArrayLike<number>, to: Float64Array): void {
  to[0] = from[0]; to[1] = from[1]; to[2] = from[2];
}

/**
 * Solves the symmetric 3 × 3 system in place by Cholesky; `rhs` becomes the solution. False (and `rhs` left
 * unusable) when the matrix is not positive definite: the damping is too small for the curvature there.
 */
function solveSymmetric3(m: Float64Array, rhs: Float64Array): boolean {
  if (!(m[0] > 0)) return false;
  const l00 = Math.sqrt(m[0]);
  const l10 = m[3] / l00;
  const l20 = m[6] / l00;
  const p11 = m[4] - l10 * l10;
  if (!(p11 > 0)) return false;
  const l11 = Math.sqrt(p11);
  const l21 = (m[7] - l20 * l10) / l11;
  const p22 = m[8] - l20 * l20 - l21 * l21;
  if (!(p22 > 0)) return false;
  const l22 = Math.sqrt(p22);
  const y0 = rhs[0] / l00;
  const y1 = (rhs[1] - l10 * y0) / l11;
  const y2 = (rhs[2] - l20 * y0 - l21 * y1) / l22;
  rhs[2] = y2 / l22;
  rhs[1] = (y1 - l21 * rhs[2]) / l11;
  rhs[0] = (y0 - l10 * rhs[1] - l20 * rhs[2]) / l00;
  return true;
}

/**
 * Fits `windowCount` windows of `points` lags each, laid end to end in `windows`, from every start of `model`
 * (model.starts of each window). A window with a value that is not finite gets NaN SSEs and is not fitted.
 */
export function fitEveryStart(model: CurveModel, windows: Float64Array, points: number, settings: FitSettings = defaultFitSettings): StartFits {
  const windowCount = Math.floor(windows.length / points);
  const startCount = model.startCount;
  const fits: StartFits = {
    model: model.name, windowCount, points, startCount,
    starts: new Float64Array(windowCount * startCount * 3),
    values: new Float64Array(windowCount * startCount * 3).fill(NaN),
    sse: new Float64Array(windowCount * startCount).fill(NaN),
    iterations: new Uint32Array(windowCount * startCount),
  };
  const fitter = new CurveFitter(points);
  const full = new Float64Array(3);
  for (let w = 0; w < windowCount; w++) {
    const window = windows.subarray(w * points, (w + 1) * points);
    const starts = model.starts(window);
    if (starts.length !== startCount) throw new Error(`fitEveryStart: ${model.name} gave ${starts.length} starts, expected ${startCount}`);
    const finite = allFinite(window);
    for (let s = 0; s < startCount; s++) {
      const slot = w * startCount + s;
      embed(model, starts[s], full);
      for (let i = 0; i < 3; i++) fits.starts[slot * 3 + i] = full[i];
      if (!finite) continue;
      fits.sse[slot] = fitter.fitStart(model, windows, w * points, full, fits.values, slot * 3, settings);
      fits.iterations[slot] = fitter.iterations;
    }
  }
  return fits;
}

/** The model's vector of free parameters placed into (a, b, c), the fixed ones as the model fixes them. */
export function embed(model: CurveModel, values: ArrayLike<number>, into: Float64Array): Float64Array {
  for (let i = 0; i < 3; i++) into[i] = model.fixedValues[i];
  for (let i = 0; i < model.freeParameters.length; i++) into[model.freeParameters[i]] = values[i];
  return into;
}

/** The model's vector of free parameters, read out of (a, b, c). */
export function freeValues(model: CurveModel, theta: ArrayLike<number>): number[] {
  return model.freeParameters.map((parameter) => theta[parameter]);
}

/** The lowest-SSE start of window `w`; −1 when every start failed. */
export function bestStart(fits: StartFits, w: number): number {
  let best = -1;
  for (let s = 0; s < fits.startCount; s++) {
    const slot = w * fits.startCount + s;
    if (Number.isFinite(fits.sse[slot]) && (best < 0 || fits.sse[slot] < fits.sse[w * fits.startCount + best])) best = s;
  }
  return best;
}

/** One start's fit, in the model's own vector (as CurveModel.starts gives it). */
export interface StartFit {
  start: number[];
  values: number[];
  /** Sum of squared errors over Δ = 0..maxLag; NaN when the window or the fit is not finite. */
  sse: number;
  iterations: number;
}

/** Fits one window from one start (a vector of the model's free parameters); see CurveFitter.fitStart. */
export function fitFromStart(model: CurveModel, window: ArrayLike<number>, start: number[], settings: FitSettings = defaultFitSettings): StartFit {
  const fitter = new CurveFitter(window.length);
  const end = new Float64Array(3);
  const finite = Array.from(window).every(Number.isFinite);
  const sse = finite ? fitter.fitStart(model, window, 0, embed(model, start, new Float64Array(3)), end, 0, settings) : NaN;
  return { start, values: finite ? freeValues(model, end) : start.map(() => NaN), sse, iterations: finite ? fitter.iterations : 0 };
}

/** The model's lowest-SSE fit of one window over its starts; null when every start failed. */
export function fitModelToWindow(model: CurveModel, window: ArrayLike<number>, settings: FitSettings = defaultFitSettings): { values: number[]; sse: number } | null {
  const fits = fitEveryStart(model, Float64Array.from(window), window.length, settings);
  const best = bestStart(fits, 0);
  if (best < 0) return null;
  return { values: freeValues(model, fits.values.subarray(best * 3, best * 3 + 3)), sse: fits.sse[best] };
}

/** Windows from..to of `fits` (views, not copies). */
export function sliceStartFits(fits: StartFits, from: number, to: number): StartFits {
  const s = fits.startCount;
  return {
    ...fits,
    windowCount: to - from,
    starts: fits.starts.subarray(from * s * 3, to * s * 3),
    values: fits.values.subarray(from * s * 3, to * s * 3),
    sse: fits.sse.subarray(from * s, to * s),
    iterations: fits.iterations.subarray(from * s, to * s),
  };
}

/** The fits of consecutive batches of windows as one (all of one model, window length and start count). */
export function concatenateStartFits(parts: readonly StartFits[], model: CurveModel, points: number): StartFits {
  return {
    model: model.name,
    windowCount: parts.reduce((n, fits) => n + fits.windowCount, 0),
    points,
    startCount: model.startCount,
    starts: concatenate(parts.map((f) => f.starts), (n) => new Float64Array(n)),
    values: concatenate(parts.map((f) => f.values), (n) => new Float64Array(n)),
    sse: concatenate(parts.map((f) => f.sse), (n) => new Float64Array(n)),
    iterations: concatenate(parts.map((f) => f.iterations), (n) => new Uint32Array(n)),
  };
}

function allFinite(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

