import { allPartsWeights, type KeptDifferences, type LayerDifferences } from '../measure/index.js';
import { shuffled } from '../util/random.js';
import { bootstrapReplicates, percentileInterval, type BootstrapOptions, type Interval } from './bootstrap.js';
import { fitLayerUnits } from './unitFits.js';
import { defaultWindowFitOptions, fitWindow, parameterMatters, type WindowFitOptions } from './windowFit.js';
import { computeLayerWindows, computePopulationWindow, defaultWindowOptions, measuredWordsOf, type WindowOptions } from './windows.js';

/**
 * Bootstrap intervals for a run's fits: the population fit's a, b, c, half-decay lag and lag75, and optionally
 * the layer medians of the unit fits' a, b, c. The latter refits units in every replicate, so it runs on a
 * seeded subset of `unitSubset` units per layer (the same units in every layer and replicate), and the
 * result says which (the estimate is then the median over that subset on all sequences). A parameter that does not shape a replicate's curve (a when c = 0, b when c = 1) counts as
 * undefined in that replicate.
 */
export interface WindowBootstrapOptions extends BootstrapOptions {
  /** Default: defaultWindowOptions. */
  window?: WindowOptions;
  /** Default: defaultWindowFitOptions. */
  fit?: WindowFitOptions;
  /** Units whose refits give the median unit parameters' intervals; 0 (the default) leaves them out. */
  unitSubset?: number;
}

export interface PopulationFitIntervals {
  a: Interval;
  b: Interval;
  c: Interval;
  halfDecayLag: Interval;
  lag75: Interval;
}

export interface UnitMedianIntervals {
  /** The units refitted in every replicate. */
  units: number[];
  a: Interval;
  b: Interval;
  c: Interval;
}

export interface LayerFitIntervals {
  layer: number;
  confidence: number;
  /** Replicates drawn (each interval says in how many its statistic was defined). */
  replicates: number;
  population: PopulationFitIntervals;
  unitMedians: UnitMedianIntervals | null;
}

const POPULATION_STATISTICS = ['a', 'b', 'c', 'halfDecayLag', 'lag75'] as const;
const UNIT_STATISTICS = ['a', 'b', 'c'] as const;

interface ReplicateValues {
  population: Record<(typeof POPULATION_STATISTICS)[number], number>;
  unitMedians: Record<(typeof UNIT_STATISTICS)[number], number>;
}

export function bootstrapWindowFits(kept: KeptDifferences, options: WindowBootstrapOptions): LayerFitIntervals[] {
  const window = options.window ?? defaultWindowOptions;
  const fit = options.fit ?? defaultWindowFitOptions;
  const unitSubset = options.unitSubset ?? 0;
  const units = unitSubset > 0 ? chooseUnits(kept.width, unitSubset, options) : null;
  const statistic = (differences: LayerDifferences) => replicateValues(differences, window, fit, units);
  const estimates = kept.layers.map((layer) => statistic(kept.formLayer(layer, allPartsWeights(kept.partCount))));
  const replicates = bootstrapReplicates(kept, options, (weights) => kept.layers.map((layer) => statistic(kept.formLayer(layer, weights))));
  return kept.layers.map((layer, slot) => {
    const interval = <G extends keyof ReplicateValues>(group: G, name: keyof ReplicateValues[G]) =>
      percentileInterval(
        estimates[slot][group][name] as number,
        replicates.map((values) => values[slot][group][name] as number),
        options.confidence,
      );
    const population = Object.fromEntries(POPULATION_STATISTICS.map((name) => [name, interval('population', name)])) as unknown as PopulationFitIntervals;
    const unitMedians = units
      ? { units, ...(Object.fromEntries(UNIT_STATISTICS.map((name) => [name, interval('unitMedians', name)])) as Omit<UnitMedianIntervals, 'units'>) }
      : null;
    return { layer, confidence: options.confidence, replicates: options.replicates, population, unitMedians };
  });
}

/** A seeded subset of units, ascending (drawn before any replicate, from the same generator). */
function chooseUnits(width: number, count: number, options: BootstrapOptions): number[] {
  const all = Array.from({ length: width }, (_, u) => u);
  return shuffled(options.random, all).slice(0, Math.min(count, width)).sort((x, y) => x - y);
}

function replicateValues(differences: LayerDifferences, window: WindowOptions, fit: WindowFitOptions, units: number[] | null): ReplicateValues {
  return { population: populationValues(differences, window, fit), unitMedians: unitMedianValues(differences, window, fit, units) };
}

function populationValues(differences: LayerDifferences, window: WindowOptions, options: WindowFitOptions): ReplicateValues['population'] {
  const populationWindow = computePopulationWindow(differences, window);
  const fit = populationWindow ? fitWindow(populationWindow, options) : null;
  if (!fit) return { a: NaN, b: NaN, c: NaN, halfDecayLag: NaN, lag75: NaN };
  const { parameters } = fit;
  return {
    a: parameterMatters('a', parameters) ? parameters.a : NaN,
    b: parameterMatters('b', parameters) ? parameters.b : NaN,
    c: parameters.c,
    halfDecayLag: fit.halfDecayLag,
    lag75: fit.lag75,
  };
}

function unitMedianValues(differences: LayerDifferences, window: WindowOptions, options: WindowFitOptions, units: number[] | null): ReplicateValues['unitMedians'] {
  if (!units || measuredWordsOf(differences, window.minSwap).measured.length === 0) return { a: NaN, b: NaN, c: NaN };
  const unitFits = fitLayerUnits(computeLayerWindows(differences, window, units), options, units);
  return { a: unitFits.summary.a.median, b: unitFits.summary.b.median, c: unitFits.summary.c.median };
}
