/**
 * The model layer: resolving --model (local folder or hub id through transformers.js' cache), the word
 * tokenizer, the token-embedding matrix, and language models whose every layer (HF hidden_states
 * convention) is read from ONNX graphs edited in memory.
 */
export { chooseDtype, resolveModel, hubIdFor } from './hub/resolve.js';
export { loadWordTokenizer } from './tokenizer/tokenizer.js';
export { readEmbeddingMatrix } from './embedding.js';
export { loadModel } from './languageModel.js';
export { loadFillMaskModel, loadSwapModel, type FillMaskModel } from './fillMask.js';
export { isMaskedLmConfig } from './attentionDirection.js';
export { findLayers } from './taps/findLayers.js';
export { padBatch, groupByLength } from './session/batching.js';
export { positionsFromMask } from './session/forwardPass.js';
export { poolWords } from './wordPooling.js';
export { textActivations, type ActivationsReport } from './textActivations.js';
export type * from './types.js';
export { chooseLayers } from './layerChoice.js';
export { checkWithinContext } from './session/contextCheck.js';
export { onnxPathAsGiven } from './pathAsGiven.js';
export { untrainedTwin, writeRandomizedModel } from './randomize/index.js';
