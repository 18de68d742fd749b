import {
  analyzeLayersInParallel,
  bootstrapWindowFitsInParallel,
  bootstrapYoking,
  compareModels,
  defaultWindowAnalysisOptions,
  yokingOfLayer,
  type LayerFitIntervals,
  type LayerWindowAnalysis,
  type LayerYoking,
  type LayerYokingIntervals,
  type ModelComparison,
  type YokingDesign,
  type AnalysisRunner,
} from '../analysis/index.js';
import type { DifferenceAccumulator } from '../measure/index.js';
import { randomStream, streamSeed } from './randomStreams.js';
import { StageTimer } from './stageTimer.js';

export interface AnalysisSettings {
  minSwap: number;
  /** Bootstrap replicates; 0 for none. */
  bootstrap: number;
  confidence: number;
  /** Units refitted in every replicate for the median unit parameters' intervals. */
  bootstrapUnits: number;
  seed: number;
}

/** Everything the analysis found for one layer of the window stimuli. */
export interface LayerFindings {
  layer: number;
  windowAnalysis: LayerWindowAnalysis;
  comparison: ModelComparison | null;
  intervals: LayerFitIntervals | null;
}

/** Yoking results for one layer of the yoking stimuli. */
export interface LayerYokingFindings {
  layer: number;
  yoking: LayerYoking;
  intervals: LayerYokingIntervals | null;
}

/**
 * Windows, fits, model comparison and (optionally) bootstrap intervals for every layer (docs/method.md §4–§5); unit
 * fits and bootstrap replicates run on `runner`'s workers, with the same results whatever their number.
 */
export async function analyzeWindows(
  differences: DifferenceAccumulator, settings: AnalysisSettings, runner: AnalysisRunner, timer = new StageTimer(),
): Promise<LayerFindings[]> {
  const analysisOptions = { ...defaultWindowAnalysisOptions, window: { minSwap: settings.minSwap } };
  const windows = await timer.timeAsync('fits', () =>
    analyzeLayersInParallel(runner, differences.layers.map((layer) => differences.differences(layer)), analysisOptions));
  const kept = differences.partCount >= 2;
  const comparisons = timer.time('fits', () => kept
    ? compareModels(differences, randomStream(settings.seed, 'comparison'), { window: analysisOptions.window, settings: analysisOptions.fit.settings })
    : differences.layers.map(() => null));
  const intervals = kept && settings.bootstrap > 0
    ? await timer.timeAsync('bootstrap', () => bootstrapWindowFitsInParallel(runner, differences, {
        replicates: settings.bootstrap,
        confidence: settings.confidence,
        seed: streamSeed(settings.seed, 'windowBootstrap'),
        window: { minSwap: settings.minSwap },
        unitSubset: settings.bootstrapUnits,
      }))
    : null;
  return differences.layers.map((layer, slot) => ({
    layer,
    windowAnalysis: windows[slot],
    comparison: comparisons[slot],
    intervals: intervals ? intervals[slot] : null,
  }));
}

/**
 * The future side of a bidirectional model (measure/futureSide.ts): windows, fits and (optionally) bootstrap intervals
 * of the mirrored differences, read with minSwap 0 there, which measures the words t ≥ minSwap with t + maxLag ≤ N − 1.
 * No model comparison: the report gives the future side's window, fit and summary.
 */
export async function analyzeFutureWindows(
  future: DifferenceAccumulator, settings: AnalysisSettings, runner: AnalysisRunner, timer = new StageTimer(),
): Promise<LayerFindings[]> {
  const window = { minSwap: 0 };
  const analysisOptions = { ...defaultWindowAnalysisOptions, window };
  const windows = await timer.timeAsync('fits', () =>
    analyzeLayersInParallel(runner, future.layers.map((layer) => future.differences(layer)), analysisOptions));
  const intervals = future.partCount >= 2 && settings.bootstrap > 0
    ? await timer.timeAsync('bootstrap', () => bootstrapWindowFitsInParallel(runner, future, {
        replicates: settings.bootstrap,
        confidence: settings.confidence,
        seed: streamSeed(settings.seed, 'futureBootstrap'),
        window,
        unitSubset: settings.bootstrapUnits,
      }))
    : null;
  return future.layers.map((layer, slot) => ({
    layer,
    windowAnalysis: windows[slot],
    comparison: null,
    intervals: intervals ? intervals[slot] : null,
  }));
}

/** Y and the F profile of every layer (docs/method.md §6), with bootstrap intervals of the median Y when asked. */
export function analyzeYoking(
  differences: DifferenceAccumulator, design: YokingDesign, settings: AnalysisSettings, timer = new StageTimer(),
): LayerYokingFindings[] {
  const intervals = differences.partCount >= 2 && settings.bootstrap > 0
    ? timer.time('bootstrap', () => bootstrapYoking(differences, design, {
        replicates: settings.bootstrap,
        confidence: settings.confidence,
        seed: streamSeed(settings.seed, 'yokingBootstrap'),
      }))
    : null;
  const yoking = timer.time('fits', () => differences.layers.map((layer) => yokingOfLayer(differences.differences(layer), design)));
  return differences.layers.map((layer, slot) => ({
    layer,
    yoking: yoking[slot],
    intervals: intervals ? intervals[slot] : null,
  }));
}
