import { createHash } from 'node:crypto';
import { createRandom } from '../../../src/util/random.js';
import type { ReportCurveParameters, Report, ReportLayer } from '../../../src/report/schema.js';
import type { LayerUnitFitRows } from '../../../src/report/fitsCsv.js';

/**
 * Plausible iw-report/1 objects built from planted numbers, so the report stage is tested without the pipeline.
 * Planted trend (shaped like the paper's finding): deeper layers lean on the power law (c rises), decay more
 * slowly (a and b fall), and yoke to sentence structure more (Y rises).
 */
export interface SyntheticOptions {
  layerCount?: number;
  maxLag?: number;
  bootstrap?: boolean;
  yoking?: boolean;
  comparison?: boolean;
  /** Seeds the small noise added to the planted windows. */
  noiseSeed?: number;
  modelId?: string;
}

export function plantedParameters(layer: number, layerCount: number): ReportCurveParameters {
  const depth = layerCount > 1 ? layer / (layerCount - 1) : 0;
  return { a: round(1.6 - 1.45 * depth), b: round(1.4 - 1.1 * depth), c: round(0.1 + 0.8 * depth) };
}

export function plantedYoking(layer: number, layerCount: number): number {
  return layer === 0 ? 0.01 : round(0.3 * (layer / (layerCount - 1)) ** 1.5);
}

export function curveAt(p: ReportCurveParameters, lag: number): number {
  return p.c * (lag + 1) ** -p.a + (1 - p.c) * Math.exp(-p.b * lag);
}

/** Lag where the planted curve reaches 0.5, by bisection (the curve falls monotonically); null beyond maxLag. */
export function halfDecayOf(p: ReportCurveParameters, maxLag: number): number | null {
  if (curveAt(p, maxLag) > 0.5) return null;
  let [lo, hi] = [0, maxLag];
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (curveAt(p, mid) > 0.5) lo = mid; else hi = mid;
  }
  return round((lo + hi) / 2, 6);
}

/** Lag where 75 % of the area under the planted curve over 0..maxLag is reached (trapezoids on a fine grid). */
export function lag75Of(p: ReportCurveParameters, maxLag: number): number {
  const step = 0.01;
  const steps = Math.round(maxLag / step);
  const areas: number[] = [0];
  for (let i = 1; i <= steps; i++) areas.push(areas[i - 1] + ((curveAt(p, (i - 1) * step) + curveAt(p, i * step)) / 2) * step);
  const target = 0.75 * areas[steps];
  const index = areas.findIndex((area) => area >= target);
  return round(index * step, 6);
}

export function syntheticReport(options: SyntheticOptions = {}): Report {
  const layerCount = options.layerCount ?? 9;
  const maxLag = options.maxLag ?? 20;
  const random = createRandom(options.noiseSeed ?? 7);
  const noise = (scale: number) => round((random() - 0.5) * 2 * scale, 6);
  const sentenceLength = 12;
  const sentencesPerSequence = 5;
  const wordsPerSequence = sentenceLength * sentencesPerSequence;
  const sentenceStarts = Array.from({ length: sentencesPerSequence }, (_, i) => i * sentenceLength);

  const layers: ReportLayer[] = [];
  for (let layer = 0; layer < layerCount; layer++) {
    const planted = plantedParameters(layer, layerCount);
    const window = lags(maxLag).map((lag) => (lag === 0 ? 1 : round(curveAt(planted, lag) + noise(0.01), 6)));
    const spread = (lag: number, sign: number) => (lag === 0 ? 1 : round(window[lag] * (1 + sign * 0.25), 6));
    const entry: ReportLayer = {
      layer,
      units: 64,
      window,
      unitWindow: {
        median: window.map((v, lag) => (lag === 0 ? 1 : round(v * 0.95, 6))),
        q25: lags(maxLag).map((lag) => spread(lag, -1)),
        q75: lags(maxLag).map((lag) => spread(lag, +1)),
      },
      fit: {
        population: { ...planted, sse: round(0.0004 + Math.abs(noise(0.0002)), 6) },
        units: { median: scaled(planted, 1.05), q25: scaled(planted, 0.8), q75: scaled(planted, 1.2) },
        diagnostics: {
          identified: layer !== 3,
          minimaGap: layer === 3 ? 0.02 : round(0.3 + layer * 0.1, 6),
          rival: { a: 6.5, b: round(planted.b * 0.5, 6), c: 0.97, sse: 0.0009 },
          atBound: layer === 0 ? ['b'] : [],
          unitsFitted: 62,
          unitsAtBound: layer,
          unitsUnidentified: 2,
          failedFits: layer === 5 ? 1 : 0,
          excludedUnits: layer === 5 ? 1 : 0,
        },
      },
      summary: { halfDecayLag: halfDecayOf(planted, maxLag), lag75: lag75Of(planted, maxLag) },
    };
    if (options.bootstrap) entry.intervals = syntheticIntervals(entry, maxLag);
    if (options.yoking) entry.yoking = syntheticYoking(plantedYoking(layer, layerCount), sentenceStarts, wordsPerSequence, sentenceLength, options.bootstrap ?? false, noise);
    if (options.comparison) entry.comparison = syntheticComparison(planted, layer, layerCount);
    layers.push(entry);
  }

  const report: Report = {
    format: 'iw-report/1',
    model: {
      id: options.modelId ?? 'test/planted-gpt2',
      path: '/models/planted/onnx/model.onnx',
      architecture: 'gpt2',
      layerCount,
      sha256: sha256Of(options.modelId ?? 'planted'),
    },
    settings: { dtype: 'fp32', maxLag, minSwap: 2, seed: 1, untrained: false },
    provenance: {
      iw: '0.1.0',
      onnxruntime: '1.30.0',
      node: 'v20.19.0',
      startedAt: '2025-01-31T12:00:00.000Z',
      durationSeconds: 12.5,
      stimuliSha256: sha256Of('stimuli'),
    },
    stimuli: { sequences: 200, wordsPerSequence: 40, swaps: 200 * 40, tokenCountChangedShare: 0.04 },
    notes: ['layer 0 is the embedding output including position embeddings (the paper\'s layer 0 has no positions)'],
    layers,
  };
  if (options.bootstrap) report.bootstrap = { replicates: 200, level: 0.95 };
  if (options.yoking) report.yoking = { sentenceLength, sentencesPerSequence, wordsPerSequence, sentenceStarts, sequences: 100, stimuliSha256: sha256Of('yoking') };
  return report;
}

/** Per-unit fits for fits.csv: units spread around the planted parameters, a few failed and excluded. */
export function syntheticUnitFits(report: Report): LayerUnitFitRows[] {
  return report.layers.map((layer) => ({
    layer: layer.layer,
    units: Array.from({ length: 4 }, (_, unit) => {
      if (unit === 3) return { unit, status: 'excluded' as const, a: null, b: null, c: null, sse: null, identified: null };
      const p = scaled(layer.fit.population, 0.9 + 0.1 * unit);
      return { unit, status: unit === 2 ? 'at-bound' as const : 'ok' as const, ...p, sse: 0.001 * (unit + 1), identified: unit !== 1 };
    }),
  }));
}

function syntheticIntervals(layer: ReportLayer, maxLag: number): NonNullable<ReportLayer['intervals']> {
  const around = (value: number, width: number, max = Infinity): [number, number] => [round(Math.max(0, value - width), 6), round(Math.min(max, value + width), 6)];
  const p = layer.fit.population;
  const half = layer.summary.halfDecayLag;
  return {
    a: around(p.a, 0.08), b: around(p.b, 0.1), c: around(p.c, 0.05, 1),
    halfDecayLag: half === null ? [null, null] : half + 1.5 > maxLag ? [round(half - 1, 6), null] : around(half, 1.5),
    lag75: around(layer.summary.lag75, 1, maxLag),
    unitMedian: { a: around(layer.fit.units.median.a!, 0.05), b: around(layer.fit.units.median.b!, 0.05), c: around(layer.fit.units.median.c, 0.03, 1) },
  };
}

function syntheticYoking(y: number, starts: number[], words: number, sentenceLength: number, withCi: boolean, noise: (scale: number) => number): NonNullable<ReportLayer['yoking']> {
  const lastDefined = words - (sentenceLength - 1);
  const profile = Array.from({ length: words }, (_, k) => {
    if (k === 0 || k > lastDefined) return null;
    return round((starts.includes(k) ? y : 0) + noise(0.02), 6);
  });
  const index = (median: number) => ({ median, q25: round(median - 0.05, 6), q75: round(median + 0.06, 6), ...(withCi ? { ci: [round(median - 0.03, 6), round(median + 0.03, 6)] as [number, number] } : {}) });
  // The control gets no interval, so checks exercise their fallback rule.
  const { ci: _ci, ...control } = index(round(y * 0.6, 6));
  return { ...index(y), profile, controlLagsFrom1: control };
}

function syntheticComparison(p: ReportCurveParameters, layer: number, layerCount: number): NonNullable<ReportLayer['comparison']> {
  const deep = layer / (layerCount - 1);
  const mixtureError = 0.0004;
  const models = {
    exponential: { a: null, b: p.b, c: 0, parameterCount: 1, sse: round(0.0005 + deep * 0.01, 6), heldOutError: round(mixtureError * (1.1 + 3 * deep), 8), bic: round(-180 + 100 * deep, 4) },
    powerLaw: { a: p.a, b: null, c: 1, parameterCount: 1, sse: round(0.01 - deep * 0.009, 6), heldOutError: round(mixtureError * (4 - 2.5 * deep), 8), bic: round(-100 - 40 * deep, 4) },
    mixture: { a: p.a, b: p.b, c: p.c, parameterCount: 3, sse: 0.0004, heldOutError: mixtureError, bic: -175 },
  };
  const byHeldOut = (Object.keys(models) as (keyof typeof models)[]).sort((x, y) => models[x].heldOutError - models[y].heldOutError);
  const byBic = (Object.keys(models) as (keyof typeof models)[]).sort((x, y) => models[x].bic - models[y].bic);
  return {
    models,
    winner: {
      heldOutError: { model: byHeldOut[0], runnerUp: byHeldOut[1], ratio: round(models[byHeldOut[1]].heldOutError / models[byHeldOut[0]].heldOutError, 6) },
      bic: { model: byBic[0], runnerUp: byBic[1], delta: round(models[byBic[1]].bic - models[byBic[0]].bic, 6) },
    },
  };
}

function scaled(p: ReportCurveParameters, factor: number): ReportCurveParameters {
  return { a: round(p.a * factor, 6), b: round(p.b * factor, 6), c: round(Math.min(1, p.c * factor), 6) };
}

function lags(maxLag: number): number[] {
  return Array.from({ length: maxLag + 1 }, (_, lag) => lag);
}

function round(value: number, digits = 4): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function sha256Of(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
