/** The engine stage: runs stimuli through a model, handing word activations of originals and swapped bands on. */
export { runSwapEngine, effectiveEngine } from './runEngine.js';
export { rowLayout, type RowLayout } from './batchPlan.js';
export type { EngineKind, EngineOptions, EngineStatistics, SwapObserver } from './types.js';
