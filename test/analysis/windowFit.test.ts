import { describe, expect, it } from 'vitest';
import {
  fitFromStart,
  fitWindow,
  mixtureModel,
  sumOfSquaredErrors,
  windowCurve,
  type CurveParameters,
} from '../../src/analysis/index.js';
import { createRandom } from '../../src/util/random.js';

const MAX_LAG = 20;
const lags = Array.from({ length: MAX_LAG + 1 }, (_, lag) => lag);
const curve = (p: CurveParameters) => lags.map((lag) => windowCurve(p, lag));
const relativeError = (fitted: number, truth: number) => Math.abs(fitted - truth) / truth;

/**
 * Asymptotic standard errors of (a, b, c) for least squares with additive noise of sd σ at lags 1..maxLag:
 * sqrt(diag(σ² (JᵀJ)⁻¹)), J the model's Jacobian at the true parameters (lag 0 carries no noise: W(0) = 1).
 */
function standardErrors(p: CurveParameters, sigma: number): number[] {
  const gradient = mixtureModel.gradient([p.a, p.b, p.c]);
  const information = [0, 1, 2].map(() => [0, 0, 0]);
  for (let lag = 1; lag <= MAX_LAG; lag++) {
    const g = gradient(lag);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) information[i][j] += g[i] * g[j];
  }
  const [[a, b, c], [d, e, f], [g, h, k]] = information;
  const determinant = a * (e * k - f * h) - b * (d * k - f * g) + c * (d * h - e * g);
  const inverseDiagonal = [(e * k - f * h) / determinant, (a * k - c * g) / determinant, (a * e - b * d) / determinant];
  return inverseDiagonal.map((v) => sigma * Math.sqrt(v));
}

describe('mixture fit (docs/method.md §5)', () => {
  it.each([
    { a: 0.8, b: 0.4, c: 0.6 },
    { a: 0.3, b: 2, c: 0.3 },
    { a: 1.5, b: 0.05, c: 0.5 },
    { a: 2, b: 1, c: 0.2 },
    { a: 8, b: 0.15, c: 0.75 },
  ])('recovers planted parameters %o within 1 % from an exact window', (truth) => {
    const fit = fitWindow(curve(truth))!;
    for (const name of ['a', 'b', 'c'] as const) expect(relativeError(fit.parameters[name], truth[name])).toBeLessThan(0.01);
    expect(fit.identified).toBe(true);
  });

  it('recovers a pure exponential (c = 0) and a pure power law (c = 1)', () => {
    const exponential = fitWindow(curve({ a: 1, b: 0.3, c: 0 }))!;
    expect(exponential.parameters.c).toBeLessThan(1e-4);
    expect(relativeError(exponential.parameters.b, 0.3)).toBeLessThan(0.01);
    expect(exponential.tail).toBe('exponential');
    const powerLaw = fitWindow(curve({ a: 0.7, b: 1, c: 1 }))!;
    expect(powerLaw.parameters.c).toBeGreaterThan(1 - 1e-4);
    expect(relativeError(powerLaw.parameters.a, 0.7)).toBeLessThan(0.01);
    expect(powerLaw.tail).toBe('powerLaw');
    expect(powerLaw.boundsHit).toContain('c=1');
  });

  it('recovers parameters from noisy windows within 4 asymptotic standard errors, never worse than the truth', () => {
    // additive noise, sd σ = 0.002, 10 seeded draws per case; tolerance 4 SE from the Jacobian at the truth
    const sigma = 0.002;
    const random = createRandom(2024);
    for (const truth of [{ a: 0.8, b: 0.4, c: 0.6 }, { a: 1.5, b: 0.1, c: 0.5 }, { a: 8, b: 0.15, c: 0.75 }]) {
      const errors = standardErrors(truth, sigma);
      for (let draw = 0; draw < 10; draw++) {
        const noisy = curve(truth).map((v, lag) => (lag === 0 ? 1 : v + sigma * Math.sqrt(3) * (2 * random() - 1)));
        const fit = fitWindow(noisy)!;
        (['a', 'b', 'c'] as const).forEach((name, i) => expect(Math.abs(fit.parameters[name] - truth[name])).toBeLessThan(4 * errors[i]));
        expect(fit.sse).toBeLessThanOrEqual(sumOfSquaredErrors(mixtureModel, [truth.a, truth.b, truth.c], noisy) * (1 + 1e-9));
      }
    }
  });

  describe('the two local minima', () => {
    it('finds an exponential tail with a power-law spike that the authors’ single start misses', () => {
      // large a, small b, c near 1: the power law is a lag-0 spike, the exponential carries the tail
      const truth = { a: 8, b: 0.15, c: 0.75 };
      const window = curve(truth);
      const authors = fitFromStart(mixtureModel, window, [1, 1, 0.5]);
      const authorsFit = mixtureModel.toParameters(authors.values);
      expect(authorsFit.b).toBeGreaterThan(9.99); // the other minimum: b at its bound, a power-law tail
      expect(authors.sse).toBeGreaterThan(1e-3);
      const fit = fitWindow(window)!;
      expect(fit.tail).toBe('exponential');
      expect(fit.sse).toBeLessThan(1e-12);
      expect(relativeError(fit.parameters.a, 8)).toBeLessThan(0.01);
      expect(fit.alternative!.tail).toBe('powerLaw');
      expect(fit.alternative!.sse).toBeCloseTo(authors.sse, 6);
      expect(fit.identified).toBe(true);
    });

    it('finds a power-law tail with the exponential shrunk to a spike (b at its bound)', () => {
      const truth = { a: 0.6, b: 10, c: 0.4 };
      const fit = fitWindow(curve(truth))!;
      expect(fit.tail).toBe('powerLaw');
      // b past ~8 changes the curve by under exp(−8) ≈ 3e-4 at lag 1, so only a and c are pinned down
      expect(relativeError(fit.parameters.a, 0.6)).toBeLessThan(0.01);
      expect(relativeError(fit.parameters.c, 0.4)).toBeLessThan(0.01);
      expect(fit.parameters.b).toBeGreaterThan(8);
      lags.forEach((lag) => expect(windowCurve(fit.parameters, lag)).toBeCloseTo(windowCurve(truth, lag), 4));
      expect(fit.alternative!.tail).toBe('exponential');
      expect(fit.alternative!.sse).toBeGreaterThan(100 * fit.sse);
      expect(fit.identified).toBe(true);
    });

    it('flags a window both minima fit equally well as not identified', () => {
      // flat beyond lag 0 (an untrained model's window, docs/method.md §7) plus seeded noise of sd 0.01: a power-law
      // tail with a = 0 (exponential spike at b = 10) and an exponential tail with b = 0 (power-law spike at
      // a = 10) both reach the flat level; their spikes leave under 1e-3 at lag 1, far below the noise
      const random = createRandom(7);
      const flat = lags.map((lag) => (lag === 0 ? 1 : 0.4 + 0.01 * Math.sqrt(3) * (2 * random() - 1)));
      const fit = fitWindow(flat)!;
      expect(fit.alternative).not.toBeNull();
      expect(new Set([fit.tail, fit.alternative!.tail])).toEqual(new Set(['powerLaw', 'exponential']));
      expect(fit.alternative!.sse).toBeLessThanOrEqual(1.05 * fit.sse);
      expect(fit.identified).toBe(false);
    });
  });

  it('fits a delta window (a layer that integrates nothing) without NaN, half-decayed before lag 1', () => {
    const delta = lags.map((lag) => (lag === 0 ? 1 : 0));
    const fit = fitWindow(delta)!;
    // the best either model can do is shrink its tail to a spike: f(1) ≤ 2^(−10) with a at its bound
    expect(fit.sse).toBeLessThan(1e-5);
    expect(fit.halfDecayLag).toBeLessThan(1);
    expect([fit.parameters.a, fit.parameters.b, fit.parameters.c, fit.lag75].every(Number.isFinite)).toBe(true);
  });

  it('fails (null) on a window that is not finite', () => {
    expect(fitWindow(lags.map((lag) => (lag === 3 ? NaN : 1)))).toBeNull();
  });
});
