/** The whole method as functions: what `iw estimate` and `iw yoking` run. */
export { estimate, stimuliDigest, type EstimateHooks, type EstimateRun } from './estimate.js';
export { estimateOptionSpecs, type EstimateOptions } from './estimateOptions.js';
export { defaultModelPath } from './defaultModel.js';
export { writeRun, defaultOutputFolder } from './writeRun.js';
