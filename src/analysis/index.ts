/**
 * analysis/: integration windows, curve fits, model comparison, bootstrap intervals and structure yoking
 * (docs/method.md §4–§6). Typed arrays in, typed results out; no I/O.
 */
export { median, quantile, quartiles, sortedQuantile, type Quartiles } from './quantiles.js';
export {
  computeLayerWindows,
  computePopulationWindow,
  defaultWindowOptions,
  includedUnitsOf,
  measuredWordsOf,
  type LayerWindows,
  type UnitExclusions,
  type WindowOptions,
} from './windows.js';
export {
  CURVE_MODELS,
  exponentialModel,
  mixtureModel,
  PARAMETER_BOUNDS,
  powerLawModel,
  sumOfSquaredErrors,
  windowCurve,
  type CurveModel,
  type CurveModelName,
  type CurveParameters,
} from './curveModel.js';
export {
  CurveFitter,
  defaultFitSettings,
  fitEveryStart,
  fitFromStart,
  fitModelToWindow,
  concatenateStartFits,
  sliceStartFits,
  type FitSettings,
  type StartFit,
  type StartFits,
} from './curveFitter.js';
export { curveArea, halfDecayLag, lag75 } from './windowSize.js';
export {
  BOUND_TOLERANCE,
  boundsHit,
  defaultWindowFitOptions,
  fitWindow,
  fitWindows,
  parameterMatters,
  SSE_FLOOR_PER_POINT,
  tailOf,
  type BoundHit,
  type CandidateFit,
  type TailKind,
  type WindowFit,
  type WindowFitOptions,
  windowFitFrom,
} from './windowFit.js';
export { emptyBoundHits, fitLayerUnits, layerUnitFitsFrom, unitWindowBatch, type LayerUnitFits, type UnitWindowBatch } from './unitFits.js';
export { analyzeLayerWindows, defaultWindowAnalysisOptions, type LayerWindowAnalysis, type WindowAnalysisOptions } from './layerAnalysis.js';
export {
  bic,
  compareModels,
  compareModelsForLayer,
  compareWindowModels,
  defaultComparisonOptions,
  fitModel,
  type ComparisonOptions,
  type HeldOutScore,
  type ModelComparison,
  type ModelScore,
  type Verdict,
} from './comparison.js';
export { bootstrapReplicates, percentileInterval, replicateWeights, type BootstrapOptions, type Interval } from './bootstrap.js';
export {
  bootstrapWindowFits,
  windowBootstrapPlan,
  windowFitIntervals,
  windowReplicateValues,
  type ReplicateValues,
  type WindowBootstrapPlan,
  type LayerFitIntervals,
  type PopulationFitIntervals,
  type UnitMedianIntervals,
  type WindowBootstrapOptions,
} from './windowBootstrap.js';
export { lagZeroMedians, yokingOfLayer, yokingOnsets, type LayerYoking, type YokingDesign } from './yoking.js';
export { bootstrapYoking, type LayerYokingIntervals } from './yokingBootstrap.js';
export {
  analyzeLayersInParallel,
  bootstrapWindowFitsInParallel,
  createAnalysisRunner,
  fitWindowsInParallel,
  type AnalysisRunner,
} from './parallel/parallelAnalysis.js';
