/** The whole method as functions: what `iw estimate` and `iw yoking` run. */
export { estimate, stimuliDigest, type EstimateHooks, type EstimateRun } from './estimate.js';
export { estimateOptionSpecs, type EstimateOptions } from '../config/options/estimateRun.js';
export { defaultModelPath } from '../config/defaultModel.js';
export { writeRun, defaultOutputFolder } from './writeRun.js';
