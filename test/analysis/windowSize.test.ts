import { describe, expect, it } from 'vitest';
import { curveArea, halfDecayLag, lag75, windowCurve } from '../../src/analysis/index.js';

const MAX_LAG = 20;

/** Composite Simpson's rule, 20,000 intervals: an independent check of the closed-form area. */
function simpson(f: (x: number) => number, to: number): number {
  const n = 20_000, h = to / n;
  let sum = f(0) + f(to);
  for (let i = 1; i < n; i++) sum += (i % 2 ? 4 : 2) * f(i * h);
  return (sum * h) / 3;
}

describe('window-size summaries of a fitted curve', () => {
  it('half-decay lag: closed forms for a pure exponential and a pure power law', () => {
    // exp(−bΔ) = 1/2 at Δ = ln 2 / b
    expect(halfDecayLag({ a: NaN, b: 0.3, c: 0 }, MAX_LAG)).toBeCloseTo(Math.LN2 / 0.3, 9);
    // (Δ + 1)^(−a) = 1/2 at Δ = 2^(1/a) − 1
    expect(halfDecayLag({ a: 0.7, b: NaN, c: 1 }, MAX_LAG)).toBeCloseTo(2 ** (1 / 0.7) - 1, 9);
  });

  it('half-decay lag of a mixture is where the curve crosses 0.5; Infinity when it stays above 0.5 to maxLag', () => {
    const mixture = { a: 0.8, b: 0.4, c: 0.6 };
    const lag = halfDecayLag(mixture, MAX_LAG);
    expect(windowCurve(mixture, lag)).toBeCloseTo(0.5, 10);
    // c = 0.7 of a flat power law (a = 0): f ≥ 0.7 everywhere
    expect(halfDecayLag({ a: 0, b: 1, c: 0.7 }, MAX_LAG)).toBe(Infinity);
    // an exponential that crosses 0.5 only after maxLag: ln 2 / 0.01 ≈ 69 > 20
    expect(halfDecayLag({ a: 1, b: 0.01, c: 0 }, MAX_LAG)).toBe(Infinity);
  });

  it('curve area in closed form equals numerical integration, including a = 1 and b = 0', () => {
    for (const p of [{ a: 0.8, b: 0.4, c: 0.6 }, { a: 1, b: 0, c: 0.3 }, { a: 2.5, b: 7, c: 0.9 }, { a: 1 + 1e-13, b: 1e-13, c: 0.5 }]) {
      expect(curveArea(p, MAX_LAG)).toBeCloseTo(simpson((x) => windowCurve(p, x), MAX_LAG), 8);
    }
  });

  it('lag75: closed forms', () => {
    // exponential: 1 − e^(−bx) = 0.75 (1 − e^(−bM))
    const b = 0.3;
    expect(lag75({ a: NaN, b, c: 0 }, MAX_LAG)).toBeCloseTo(-Math.log(1 - 0.75 * (1 - Math.exp(-b * MAX_LAG))) / b, 9);
    // power law a = 1: ln(x + 1) = 0.75 ln(M + 1)
    expect(lag75({ a: 1, b: NaN, c: 1 }, MAX_LAG)).toBeCloseTo((MAX_LAG + 1) ** 0.75 - 1, 9);
    // power law a = 0.5: (x + 1)^0.5 − 1 = 0.75 ((M + 1)^0.5 − 1)
    expect(lag75({ a: 0.5, b: NaN, c: 1 }, MAX_LAG)).toBeCloseTo((1 + 0.75 * (Math.sqrt(MAX_LAG + 1) - 1)) ** 2 - 1, 9);
    // flat: 0.75 · maxLag
    expect(lag75({ a: 0, b: 0, c: 0.5 }, MAX_LAG)).toBeCloseTo(0.75 * MAX_LAG, 9);
  });
});
