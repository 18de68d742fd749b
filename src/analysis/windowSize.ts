import { windowCurve, type CurveParameters } from './curveModel.js';

/**
 * @module Window-size summaries of a fitted curve (docs/method.md §4, ours), both read from the continuous
 * curve f(Δ), Δ real: the half-decay lag and lag75.
 */

/** Halvings of the bracket: 60 take [0, maxLag] below double precision. */
const BISECTION_STEPS = 60;

/**
 * The x in [low, high] where increasing(parameters, x) reaches target, by bisection. The function comes with its
 * parameters rather than as a closure over them: two fixed functions are all this is called with, which V8
 * inlines, where a fresh closure per fit was a call per step (and a boxed number per result) on every unit fit.
 */
function bisect(
  increasing: (parameters: CurveParameters, x: number) => number, parameters: CurveParameters, target: number, low: number, high: number,
): number {
  for (let step = 0; step < BISECTION_STEPS; step++) {
    const middle = (low + high) / 2;
    // low and high are neighbouring doubles: every further step would test the same middle and keep the bracket
    if (middle === low || middle === high) break;
    if (increasing(parameters, middle) < target) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** −f(Δ): increasing in Δ, for bisect. */
function negativeCurve(parameters: CurveParameters, lag: number): number {
  return -windowCurve(parameters, lag);
}

/**
 * The half-decay lag: the Δ in [0, maxLag] where f falls to 0.5 (f is non-increasing for a, b ≥ 0, so bisection
 * finds the one crossing). Infinity when f stays above 0.5 up to maxLag: the curve is not extrapolated past the
 * lags it was fitted on. (JSON.stringify writes Infinity as null.)
 */
export function halfDecayLag(parameters: CurveParameters, maxLag: number): number {
  if (windowCurve(parameters, maxLag) > 0.5) return Infinity;
  return bisect(negativeCurve, parameters, -0.5, 0, maxLag);
}

/** ∫₀^x f(Δ) dΔ in closed form (expm1 keeps a ≈ 1 and b ≈ 0 accurate). */
export function curveArea(parameters: CurveParameters, x: number): number {
  const { a, b, c } = parameters;
  let area = 0;
  if (c > 0) {
    const logEnd = Math.log1p(x);
    const oneMinusA = 1 - a;
    // ∫ (Δ+1)^(−a) = ((x+1)^(1−a) − 1)/(1 − a) → ln(x+1) as a → 1
    area += c * (Math.abs(oneMinusA) < 1e-12 ? logEnd : Math.expm1(oneMinusA * logEnd) / oneMinusA);
  }
  if (c < 1) {
    // ∫ exp(−bΔ) = (1 − exp(−bx))/b → x as b → 0
    area += (1 - c) * (b < 1e-12 ? x : -Math.expm1(-b * x) / b);
  }
  return area;
}

/** lag75: the Δ where ∫₀^Δ f reaches 75 % of ∫₀^maxLag f (the continuous area, in closed form), always in [0, maxLag]. */
export function lag75(parameters: CurveParameters, maxLag: number): number {
  const target = 0.75 * curveArea(parameters, maxLag);
  return bisect(curveArea, parameters, target, 0, maxLag);
}
