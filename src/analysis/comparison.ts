import { allPartsWeights, halfSplitWeights, type KeptDifferences } from '../measure/index.js';
import type { RandomSource } from '../util/index.js';
import { defaultFitSettings, fitModelToWindow, type FitSettings } from './curveFitter.js';
import { CURVE_MODELS, sumOfSquaredErrors, type CurveModelName, type CurveParameters } from './curveModel.js';
import { SSE_FLOOR_PER_POINT } from './windowFit.js';
import { computePopulationWindow, defaultWindowOptions, type WindowOptions } from './windows.js';

/** One model's fits and scores on a layer's population window (see compareWindowModels). */
export interface ModelScore {
  model: CurveModelName;
  parameterCount: number;
  /** Fit to the window of all sequences. */
  parameters: CurveParameters;
  sse: number;
  bic: number;
  /** Fitted on the first half, scored on the second; then the reverse. */
  heldOut: [HeldOutScore, HeldOutScore];
  heldOutSse: number;
}

export interface HeldOutScore {
  parameters: CurveParameters;
  /** SSE of this fit against the other half's window. */
  sse: number;
}

export interface Verdict {
  winner: CurveModelName;
  runnerUp: CurveModelName;
  /** Runner-up's criterion minus the winner's (held-out SSE, or BIC). */
  margin: number;
  /** Held-out: runner-up's SSE over the winner's; BIC: exp(margin / 2), the approximate Bayes factor. */
  ratio: number;
}

export interface ModelComparison {
  layer: number;
  points: number;
  models: Record<CurveModelName, ModelScore>;
  byHeldOut: Verdict;
  byBic: Verdict;
}

const MODEL_ORDER: CurveModelName[] = ['exponential', 'powerLaw', 'mixture'];
const PARAMETER_COUNT: Record<CurveModelName, number> = { exponential: 1, powerLaw: 1, mixture: 3 };

/** The model's lowest-SSE fit over its starts, as the mixture fit (fitWindow) would find it. */
export function fitModel(name: CurveModelName, window: ArrayLike<number>, settings: FitSettings = defaultFitSettings): { values: number[]; sse: number } {
  const best = fitModelToWindow(CURVE_MODELS[name], window, settings);
  if (!best) throw new Error(`fitModel: every ${name} fit failed on window ${Array.from(window).join(', ')}`);
  return best;
}

export function bic(sse: number, points: number, parameterCount: number): number {
  const floored = Math.max(sse, SSE_FLOOR_PER_POINT * points);
  return points * Math.log(floored / points) + parameterCount * Math.log(points);
}

/**
 * Exponential only (c = 0, free b), power law only (c = 1, free a) and the mixture, compared on a layer's
 * population window (docs/method.md §5) by
 * - held-out error: the sequences are split in two halves by a seeded shuffle; each model is fitted on one
 *   half's population window and scored (SSE) on the other half's, both ways; the two SSEs are summed;
 * - BIC on the window of all sequences: n·ln(SSE/n) + k·ln(n), n = maxLag + 1 lags, k = 1, 1, 3 parameters.
 *   An SSE below n·1e-12 (rms residual 1e-6) counts as n·1e-12, so among exact fits the simplest wins.
 * Takes the window of all sequences and the windows of the two halves.
 */
export function compareWindowModels(
  layer: number,
  fullWindow: ArrayLike<number>,
  halfWindows: [ArrayLike<number>, ArrayLike<number>],
  settings: FitSettings = defaultFitSettings,
): ModelComparison {
  const points = fullWindow.length;
  const scores = MODEL_ORDER.map((name) => scoreModel(name, fullWindow, halfWindows, settings));
  const models = Object.fromEntries(scores.map((score) => [score.model, score])) as Record<CurveModelName, ModelScore>;
  return {
    layer,
    points,
    models,
    byHeldOut: verdict(scores, (score) => score.heldOutSse, (winner, runnerUp) => runnerUp / winner),
    byBic: verdict(scores, (score) => score.bic, (winner, runnerUp) => Math.exp((runnerUp - winner) / 2)),
  };
}

function scoreModel(name: CurveModelName, fullWindow: ArrayLike<number>, halves: [ArrayLike<number>, ArrayLike<number>], settings: FitSettings): ModelScore {
  const model = CURVE_MODELS[name];
  const full = fitModel(name, fullWindow, settings);
  const heldOut = [0, 1].map((fitHalf) => {
    const fit = fitModel(name, halves[fitHalf], settings);
    return { parameters: model.toParameters(fit.values), sse: sumOfSquaredErrors(model, fit.values, halves[1 - fitHalf]) };
  }) as [HeldOutScore, HeldOutScore];
  return {
    model: name,
    parameterCount: PARAMETER_COUNT[name],
    parameters: model.toParameters(full.values),
    sse: full.sse,
    bic: bic(full.sse, fullWindow.length, PARAMETER_COUNT[name]),
    heldOut,
    heldOutSse: heldOut[0].sse + heldOut[1].sse,
  };
}

function verdict(scores: ModelScore[], criterion: (score: ModelScore) => number, ratio: (winner: number, runnerUp: number) => number): Verdict {
  const ranked = [...scores].sort((x, y) => criterion(x) - criterion(y));
  const [winner, runnerUp] = ranked;
  return {
    winner: winner.model,
    runnerUp: runnerUp.model,
    margin: criterion(runnerUp) - criterion(winner),
    ratio: ratio(criterion(winner), criterion(runnerUp)),
  };
}

export interface ComparisonOptions {
  window: WindowOptions;
  settings: FitSettings;
}

export const defaultComparisonOptions: ComparisonOptions = { window: defaultWindowOptions, settings: defaultFitSettings };

/**
 * The comparison for every layer of a run: one split of the kept sequences (or groups) into halves by a seeded
 * shuffle, shared by all layers; population windows of all sequences and of each half. A layer's entry is null
 * when a window cannot be formed (every unit excluded, or a half lacks swaps at the needed positions).
 */
export function compareModels(kept: KeptDifferences, random: RandomSource, options: ComparisonOptions = defaultComparisonOptions): Array<ModelComparison | null> {
  if (kept.partCount < 2) throw new Error('compareModels: needs sequences kept apart (keep: "sequences" or groups)');
  const halves = halfSplitWeights(kept.partCount, random);
  return kept.layers.map((layer) => compareModelsForLayer(kept, layer, halves, options));
}

export function compareModelsForLayer(
  kept: KeptDifferences,
  layer: number,
  halves: [Float64Array, Float64Array],
  options: ComparisonOptions = defaultComparisonOptions,
): ModelComparison | null {
  const windowOf = (weights: Float64Array) => kept.useLayer(layer, weights, (differences) => computePopulationWindow(differences, options.window));
  const full = windowOf(allPartsWeights(kept.partCount));
  const first = windowOf(halves[0]);
  const second = windowOf(halves[1]);
  if (!full || !first || !second) return null;
  return compareWindowModels(layer, full, [first, second], options.settings);
}
