import {
  analyzeLayerWindows,
  bootstrapWindowFits,
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
} from '../analysis/index.js';
import type { DifferenceAccumulator } from '../measure/index.js';
import { randomStream } from './randomStreams.js';

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

/** Windows, fits, model comparison and (optionally) bootstrap intervals for every layer (docs/method.md §4–§5). */
export function analyzeWindows(differences: DifferenceAccumulator, settings: AnalysisSettings): LayerFindings[] {
  const analysisOptions = { ...defaultWindowAnalysisOptions, window: { minSwap: settings.minSwap } };
  const windows = differences.layers.map((layer) => analyzeLayerWindows(differences.differences(layer), analysisOptions));
  const kept = differences.partCount >= 2;
  const comparisons = kept
    ? compareModels(differences, randomStream(settings.seed, 'comparison'), { window: analysisOptions.window, settings: analysisOptions.fit.settings })
    : differences.layers.map(() => null);
  const intervals = kept && settings.bootstrap > 0
    ? bootstrapWindowFits(differences, {
        replicates: settings.bootstrap,
        confidence: settings.confidence,
        random: randomStream(settings.seed, 'windowBootstrap'),
        window: { minSwap: settings.minSwap },
        unitSubset: settings.bootstrapUnits,
      })
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
export function analyzeFutureWindows(future: DifferenceAccumulator, settings: AnalysisSettings): LayerFindings[] {
  const window = { minSwap: 0 };
  const analysisOptions = { ...defaultWindowAnalysisOptions, window };
  const intervals = future.partCount >= 2 && settings.bootstrap > 0
    ? bootstrapWindowFits(future, {
        replicates: settings.bootstrap,
        confidence: settings.confidence,
        random: randomStream(settings.seed, 'futureBootstrap'),
        window,
        unitSubset: settings.bootstrapUnits,
      })
    : null;
  return future.layers.map((layer, slot) => ({
    layer,
    windowAnalysis: analyzeLayerWindows(future.differences(layer), analysisOptions),
    comparison: null,
    intervals: intervals ? intervals[slot] : null,
  }));
}

/** Y and the F profile of every layer (docs/method.md §6), with bootstrap intervals of the median Y when asked. */
export function analyzeYoking(differences: DifferenceAccumulator, design: YokingDesign, settings: AnalysisSettings): LayerYokingFindings[] {
  const intervals = differences.partCount >= 2 && settings.bootstrap > 0
    ? bootstrapYoking(differences, design, {
        replicates: settings.bootstrap,
        confidence: settings.confidence,
        random: randomStream(settings.seed, 'yokingBootstrap'),
      })
    : null;
  return differences.layers.map((layer, slot) => ({
    layer,
    yoking: yokingOfLayer(differences.differences(layer), design),
    intervals: intervals ? intervals[slot] : null,
  }));
}
