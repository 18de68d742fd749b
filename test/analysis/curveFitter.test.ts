import { describe, expect, it } from 'vitest';
import {
  CURVE_MODELS,
  exponentialModel,
  fitEveryStart,
  fitFromStart,
  fitModelToWindow,
  mixtureModel,
  powerLawModel,
  sumOfSquaredErrors,
  windowCurve,
  type CurveModel,
  type CurveParameters,
} from '../../src/analysis/index.js';
import { referenceBestFit, referenceFitFromEveryStart, referenceFitFromStart } from '../../bench/referenceCurveFit.js';
import { createRandom } from '../../src/util/random.js';

/**
 * The specialised fitter (curveFitter.ts) against known answers (planted curves) and against the independent
 * reference, ml-levenberg-marquardt (referenceCurveFit.ts, the fitter iw used before): from the same starts, the
 * new fitter's best SSE must never be worse than the reference's by more than 1e-9 relative.
 */
const MAX_LAG = 20;
const lags = Array.from({ length: MAX_LAG + 1 }, (_, lag) => lag);
const curve = (p: CurveParameters) => lags.map((lag) => windowCurve(p, lag));
const NOT_WORSE = 1 + 1e-9;

function bestSse(model: CurveModel, window: number[]): number {
  return fitModelToWindow(model, window)!.sse;
}

function referenceSse(model: CurveModel, window: number[]): number {
  return referenceBestFit(referenceFitFromEveryStart(model, window))!.sse;
}

/** Windows like measured ones: a planted mixture (a, b in [0, 3], c in [0, 1]) plus seeded noise of up to 0.02. */
function randomWindows(count: number, seed: number): { window: number[]; truth: CurveParameters }[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => {
    const truth = { a: 3 * random(), b: 3 * random(), c: random() };
    const noise = 0.02 * random();
    return { truth, window: curve(truth).map((v, lag) => (lag === 0 ? 1 : v + noise * (2 * random() - 1))) };
  });
}

describe('curve fitter (projected Levenberg–Marquardt with an active set)', () => {
  it.each([
    { a: 0.8, b: 0.4, c: 0.6 },
    { a: 0.3, b: 2, c: 0.3 },
    { a: 1.5, b: 0.05, c: 0.5 },
    { a: 8, b: 0.15, c: 0.75 },
  ])('lands on planted parameters %o from a start near them, to 1e-6', (truth) => {
    const fit = fitFromStart(mixtureModel, curve(truth), [truth.a * 1.2, truth.b * 0.8, truth.c * 0.9]);
    expect(fit.sse).toBeLessThan(1e-20);
    [truth.a, truth.b, truth.c].forEach((value, i) => expect(Math.abs(fit.values[i] - value)).toBeLessThan(1e-6));
  });

  it('fits the one-parameter models (c held at 0 or 1) to their planted curves', () => {
    const exponential = fitModelToWindow(exponentialModel, curve({ a: NaN, b: 0.37, c: 0 }))!;
    expect(exponential.values).toHaveLength(1);
    expect(exponential.values[0]).toBeCloseTo(0.37, 8);
    const powerLaw = fitModelToWindow(powerLawModel, curve({ a: 1.3, b: NaN, c: 1 }))!;
    expect(powerLaw.values[0]).toBeCloseTo(1.3, 8);
  });

  it('stops on the bounds: a window falling faster than b = 10 allows ends with b at 10, SSE at the bound’s', () => {
    const delta = lags.map((lag) => (lag === 0 ? 1 : 0));
    const fit = fitModelToWindow(exponentialModel, delta)!;
    expect(fit.values[0]).toBe(10);
    // the only error left is e^(−10Δ) itself at Δ ≥ 1
    expect(fit.sse).toBeCloseTo(sumOfSquaredErrors(exponentialModel, [10], delta), 15);
  });

  it('ends in a minimum: ml-levenberg-marquardt started where it ended finds nothing lower (300 noisy planted windows, each model)', () => {
    for (const model of Object.values(CURVE_MODELS)) {
      for (const { window } of randomWindows(300, 11)) {
        const fit = fitModelToWindow(model, window)!;
        const polished = referenceFitFromStart(model, window, fit.values).sse;
        expect(fit.sse).toBeLessThanOrEqual(polished * NOT_WORSE);
      }
    }
  });

  it('matches or beats ml-levenberg-marquardt from the same starts on 99 % of 900 noisy planted windows, and never misses the truth’s SSE', () => {
    // several local minima near c = 1 (a long ridge along b) let either fitter end in a worse basin now and then;
    // on measured windows (bench/fits.ts, and the shared-model test below) none was worse
    for (const model of Object.values(CURVE_MODELS)) {
      let worse = 0;
      for (const { window, truth } of randomWindows(300, 5)) {
        const sse = bestSse(model, window);
        if (sse > referenceSse(model, window) * NOT_WORSE) worse++;
        if (model === mixtureModel) expect(sse).toBeLessThanOrEqual(sumOfSquaredErrors(mixtureModel, [truth.a, truth.b, truth.c], window) * NOT_WORSE);
      }
      expect(worse).toBeLessThanOrEqual(3);
    }
  });

  it('leaves the face c = 1 when c just below it with another b fits better (a real unit window where steps alone stop on the face)', () => {
    // a unit window of gutenberg-gpt2-small (Brown, 60 × 40 words): its minimum is a ≈ 0.984, b ≈ 0.279, c ≈ 0.971,
    // but from most starts c reaches 1 first, where b has no gradient; ml-levenberg-marquardt's non-monotone
    // steps found the minimum from two of the five starts
    const window = [
      1, 0.494416614115436, 0.35566550135641883, 0.27731161679130906, 0.20980797468328283, 0.1725260844693797, 0.1457793392928551,
      0.12652327405594146, 0.1060019105601453, 0.10299179811567619, 0.0902273025832912, 0.08173648625708319, 0.07424729808483621,
      0.06564636841342888, 0.06668628720190072, 0.06617863136788332, 0.06036381065762808, 0.06003718628438599, 0.062213803481100005,
      0.05904490712927615, 0.05677144039504536,
    ];
    const reference = referenceSse(mixtureModel, window);
    const fits = fitEveryStart(mixtureModel, Float64Array.from(window), window.length);
    for (let s = 0; s < fits.startCount; s++) {
      expect(fits.sse[s]).toBeLessThanOrEqual(reference * NOT_WORSE);
      expect(fits.values[s * 3 + 2]).toBeLessThan(1);
    }
  });

  it('fits a batch of windows as it fits each alone, and gives NaN for a window that is not finite', () => {
    const windows = randomWindows(5, 3).map(({ window }) => window);
    windows[2][7] = NaN;
    const batch = fitEveryStart(mixtureModel, Float64Array.from(windows.flat()), MAX_LAG + 1);
    const starts = batch.startCount;
    windows.forEach((window, w) => {
      const alone = fitEveryStart(mixtureModel, Float64Array.from(window), MAX_LAG + 1);
      expect(Array.from(batch.sse.subarray(w * starts, (w + 1) * starts))).toEqual(Array.from(alone.sse));
      expect(Array.from(batch.values.subarray(w * starts * 3, (w + 1) * starts * 3))).toEqual(Array.from(alone.values));
    });
    expect(Array.from(batch.sse.subarray(2 * starts, 3 * starts)).every(Number.isNaN)).toBe(true);
  });
});
