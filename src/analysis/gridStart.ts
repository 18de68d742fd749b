/** Grid of a and of b for gridStart (and the fitter's jumps), denser where the curve changes fastest with them. */
export const GRID = [0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 3, 4.5, 6.5, 8.5, 10];

/**
 * A start for the mixture from a coarse global search: f(Δ) = e + c·(p − e), with p = (Δ+1)^(−a) and
 * e = e^(−bΔ), is linear in c, so for each (a, b) on a 16 × 16 grid the best c in [0, 1] has a closed form,
 * c = Σ(y − e)(p − e) / Σ(p − e)² clamped, and so has the SSE there. Returns the (a, b, c) of least SSE: a point
 * in the basin of the global minimum whenever the grid resolves it, whichever of the two tails (or neither)
 * carries the window. Local starts can miss a basin that only a long, non-monotone path would reach.
 */
export function gridStart(window: ArrayLike<number>): [number, number, number] {
  const { powerSquares, exponentialSquares, products } = gridCurves(window.length);
  // only Σy², Σy·p and Σy·e depend on the window (Σp², Σe², Σp·e are the grid's own); reused, not allocated:
  // this runs once per unit fit
  const sums = windowGridSums(window, 0, window.length, gridStartSums);
  const yy = sums[0], yp = 1, ye = 1 + GRID.length;
  let bestSse = Infinity, bestI = -1, bestJ = -1;
  for (let i = 0; i < GRID.length; i++) {
    for (let j = 0; j < GRID.length; j++) {
      const sse = weightedError(yy, sums[yp + i], sums[ye + j], powerSquares[i], exponentialSquares[j], products[i * GRID.length + j]);
      if (sse < bestSse) {
        bestSse = sse;
        bestI = i;
        bestJ = j;
      }
    }
  }
  if (bestI < 0) return [1, 1, 0.5];
  const weight = bestWeight(sums[yp + bestI], sums[ye + bestJ], powerSquares[bestI], exponentialSquares[bestJ], products[bestI * GRID.length + bestJ]);
  return [GRID[bestI], GRID[bestJ], weight];
}

/** gridStart's window sums (see windowGridSums). */
const gridStartSums = new Float64Array(1 + 2 * GRID.length);

/**
 * The window's share of every grid point's error, into `into` and returned: [Σy², Σy·p for each grid a, Σy·e for
 * each grid b], over window[offset .. offset + points). For gridStart and for the fitter's jumps along the axes.
 */
export function windowGridSums(window: ArrayLike<number>, offset: number, points: number, into: Float64Array): Float64Array {
  const { powerLaws, exponentials } = gridCurves(points);
  into[0] = dot(window, offset, window, offset, points);
  for (let i = 0; i < GRID.length; i++) {
    into[1 + i] = dot(window, offset, powerLaws[i], 0, points);
    into[1 + GRID.length + i] = dot(window, offset, exponentials[i], 0, points);
  }
  return into;
}

/** Σ x[xOffset + i]·y[yOffset + i] over i < length, in order. */
export function dot(x: ArrayLike<number>, xOffset: number, y: ArrayLike<number>, yOffset: number, length: number): number {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += x[xOffset + i] * y[yOffset + i];
  return sum;
}

interface GridCurves {
  powerLaws: Float64Array[];
  exponentials: Float64Array[];
  powerSquares: Float64Array;
  exponentialSquares: Float64Array;
  /** [a × b]: Σ p·e. */
  products: Float64Array;
}

const gridCurvesCache = new Map<number, GridCurves>();

/** p and e at every grid value and lag, and their sums of products: they depend on the window's length only. */
export function gridCurves(points: number): GridCurves {
  let curves = gridCurvesCache.get(points);
  if (!curves) {
    const powerLaws = GRID.map((a) => Float64Array.from({ length: points }, (_, lag) => Math.pow(lag + 1, -a)));
    const exponentials = GRID.map((b) => Float64Array.from({ length: points }, (_, lag) => Math.exp(-b * lag)));
    curves = {
      powerLaws,
      exponentials,
      powerSquares: Float64Array.from(powerLaws, (p) => dot(p, 0, p, 0, points)),
      exponentialSquares: Float64Array.from(exponentials, (e) => dot(e, 0, e, 0, points)),
      products: Float64Array.from({ length: GRID.length ** 2 }, (_, k) => dot(powerLaws[Math.floor(k / GRID.length)], 0, exponentials[k % GRID.length], 0, points)),
    };
    gridCurvesCache.set(points, curves);
  }
  return curves;
}

/**
 * The c in [0, 1] of least SSE for curves p and e (f = e + c·(p − e)), from sums over the lags:
 * c = Σ(y − e)(p − e) / Σ(p − e)² clamped into [0, 1] (0.5 when p = e).
 */
export function bestWeight(yp: number, ye: number, pp: number, ee: number, pe: number): number {
  return clampedWeight(yp - ye - pe + ee, pp - 2 * pe + ee);
}

/** c = Σ(y − e)(p − e) / Σ(p − e)² clamped into [0, 1], from those two sums; 0.5 when p = e. */
function clampedWeight(cross: number, square: number): number {
  return square > 0 ? Math.min(1, Math.max(0, cross / square)) : 0.5;
}

/**
 * The SSE at bestWeight's c, from the same sums: Σ(y − e − c(p − e))² = Σ(y − e)² − 2c·Σ(y − e)(p − e) +
 * c²·Σ(p − e)². A number, not an object with the weight: it runs hundreds of times a window, and a returned
 * object costs an allocation each time V8 does not inline it (ask bestWeight for the winner's c).
 */
export function weightedError(yy: number, yp: number, ye: number, pp: number, ee: number, pe: number): number {
  const residualSquare = yy - 2 * ye + ee;
  const cross = yp - ye - pe + ee;
  const square = pp - 2 * pe + ee;
  const weight = clampedWeight(cross, square);
  return residualSquare - 2 * weight * cross + weight * weight * square;
}
