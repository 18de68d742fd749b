/** The whole method as functions: what `iw estimate` and `iw yoking` run. */
export { analyzeMeasured, estimate, estimateShard, type EstimateHooks, type EstimateRun, type MeasuredRun, type ShardRun } from './estimate.js';
export { estimateOptionSpecs, type EstimateOptions } from '../config/index.js';
export { defaultModelPath } from '../config/index.js';
export { writeRun, defaultOutputFolder } from './writeRun.js';
export { openRunFolder, writeRunFolder, type RunFolder } from './runFolder.js';
export { checkParts, mergeParts, partFiles } from './merge.js';
