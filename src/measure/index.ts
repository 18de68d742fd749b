/** measure/: differences |h(t; swapped at k) − h(t; original)| accumulated over the lag band (docs/method.md §3). */
export { bandLength, bandOffset, differenceAt, type LayerDifferences } from './layerDifferences.js';
export type { KeptDifferences } from './keptDifferences.js';
export { formLayerFromParts, keptDifferencesOf, type KeptParts } from './keptParts.js';
export { DifferenceAccumulator, keptBytes, type AccumulatorOptions, type KeepSequences, type SwapEntry } from './differenceAccumulator.js';
export { allPartsWeights, halfSplitWeights, resampleWeights } from './resampling.js';
export { FutureSide, reversedRows } from './futureSide.js';
export { OUTPUT_WINDOW, OutputReadout, PREDICTION_DIVERGENCE, READOUT_ACCUMULATOR, ReadoutAccumulator } from './outputReadout.js';
