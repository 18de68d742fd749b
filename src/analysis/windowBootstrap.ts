import { allPartsWeights, type KeptDifferences, type LayerDifferences } from '../measure/index.js';
import { createRandom, deriveSeed, shuffled } from '../util/index.js';
import { checkBootstrap, percentileInterval, replicateWeights, type BootstrapOptions, type Interval } from './bootstrap.js';
import { fitLayerUnits } from './unitFits.js';
import { defaultWindowFitOptions, fitWindow, parameterMatters, type WindowFitOptions } from './windowFit.js';
import { computeLayerWindows, computePopulationWindow, defaultWindowOptions, measuredWordsOf, type WindowOptions } from './windows.js';

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

/** What one replicate (or the estimate on all sequences) gives for one layer. */
export interface ReplicateValues {
  population: Record<(typeof POPULATION_STATISTICS)[number], number>;
  unitMedians: Record<(typeof UNIT_STATISTICS)[number], number>;
}

/** What every replicate shares: the window and fit options and the unit subset (chosen once, from the seed). */
export interface WindowBootstrapPlan {
  window: WindowOptions;
  fit: WindowFitOptions;
  units: number[] | null;
}

/**
 * Bootstrap intervals for a run's fits: the population fit's a, b, c, half-decay lag and lag75, and optionally
 * the layer medians of the unit fits' a, b, c. The latter refits units in every replicate, so it runs on a
 * seeded subset of `unitSubset` units per layer (the same units in every layer and replicate), and the result
 * says which (the estimate is then the median over that subset on all sequences). A parameter that does not
 * shape a replicate's curve (a when c = 0, b when c = 1) counts as undefined in that replicate. Replicates run
 * here in order; windowReplicateValues runs any one of them alone (the parallel analysis deals them out).
 */
export function bootstrapWindowFits(kept: KeptDifferences, options: WindowBootstrapOptions): LayerFitIntervals[] {
  checkBootstrap(kept, options);
  const plan = windowBootstrapPlan(kept, options);
  const replicates = Array.from({ length: options.replicates }, (_, replicate) => windowReplicateValues(kept, plan, options.seed, replicate));
  return windowFitIntervals(kept, plan, options, replicates);
}

export function windowBootstrapPlan(kept: Pick<KeptDifferences, 'width'>, options: WindowBootstrapOptions): WindowBootstrapPlan {
  const unitSubset = options.unitSubset ?? 0;
  return {
    window: options.window ?? defaultWindowOptions,
    fit: options.fit ?? defaultWindowFitOptions,
    units: unitSubset > 0 ? chooseUnits(kept.width, unitSubset, options.seed) : null,
  };
}

/** Replicate r's values for every layer, from its own resample (replicateWeights). */
export function windowReplicateValues(kept: KeptDifferences, plan: WindowBootstrapPlan, seed: number, replicate: number): ReplicateValues[] {
  const weights = replicateWeights(kept.partCount, seed, replicate);
  return kept.layers.map((layer) => kept.useLayer(layer, weights, (differences) => replicateValues(differences, plan), kept.maxLag, firstWindowWord(kept, plan)));
}

/** The intervals from the replicates' values, with the estimates on all sequences computed here. */
export function windowFitIntervals(kept: KeptDifferences, plan: WindowBootstrapPlan, options: BootstrapOptions, replicates: ReplicateValues[][]): LayerFitIntervals[] {
  const { units } = plan;
  const everyPart = allPartsWeights(kept.partCount);
  const estimates = kept.layers.map((layer) => kept.useLayer(layer, everyPart, (differences) => replicateValues(differences, plan), kept.maxLag, firstWindowWord(kept, plan)));
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

/** The first word a window reads (t − maxLag ≥ minSwap): D before it need not be formed. */
function firstWindowWord(kept: Pick<KeptDifferences, 'maxLag'>, plan: WindowBootstrapPlan): number {
  return plan.window.minSwap + kept.maxLag;
}

/** Units whose seed stream is apart from every replicate's (replicates use indices 0, 1, …). */
const UNIT_CHOICE_STREAM = -1;

/** A seeded subset of units, ascending: the same in every layer and replicate. */
function chooseUnits(width: number, count: number, seed: number): number[] {
  const all = Array.from({ length: width }, (_, u) => u);
  return shuffled(createRandom(deriveSeed(seed, UNIT_CHOICE_STREAM)), all).slice(0, Math.min(count, width)).sort((x, y) => x - y);
}

function replicateValues(differences: LayerDifferences, plan: WindowBootstrapPlan): ReplicateValues {
  return { population: populationValues(differences, plan.window, plan.fit), unitMedians: unitMedianValues(differences, plan.window, plan.fit, plan.units) };
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
