import { allPartsWeights, type KeptDifferences } from '../measure/index.js';
import { bootstrapReplicates, percentileInterval, type BootstrapOptions, type Interval } from './bootstrap.js';
import { yokingOfLayer, yokingOnsets, type YokingDesign } from './yoking.js';

/** Bootstrap intervals of one layer's median Y and of its lags-1..L−2 control. */
export interface LayerYokingIntervals {
  layer: number;
  confidence: number;
  replicates: number;
  medianY: Interval;
  medianYFromLagOne: Interval;
}

/**
 * Bootstrap intervals over sequences for each layer's median Y (and the lags-1..L−2 control): D is formed again
 * from the kept per-sequence differences of every replicate, only up to lag L − 2 (all Y reads).
 */
export function bootstrapYoking(kept: KeptDifferences, design: YokingDesign, options: BootstrapOptions): LayerYokingIntervals[] {
  yokingOnsets(kept, design);
  const lagLimit = design.sentenceLength - 2;
  const medians = (weights: Float64Array) =>
    kept.layers.map((layer) => {
      const yoking = yokingOfLayer(kept.formLayer(layer, weights, lagLimit), design);
      return [yoking.y.median, yoking.yFromLagOne.median];
    });
  const estimates = medians(allPartsWeights(kept.partCount));
  const replicates = bootstrapReplicates(kept, options, medians);
  return kept.layers.map((layer, slot) => {
    const interval = (which: 0 | 1) => percentileInterval(estimates[slot][which], replicates.map((values) => values[slot][which]), options.confidence);
    return { layer, confidence: options.confidence, replicates: options.replicates, medianY: interval(0), medianYFromLagOne: interval(1) };
  });
}
