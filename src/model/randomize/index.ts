/**
 * The untrained control (docs/method.md §7): a random-weight twin of a model, every parameter re-drawn the way its
 * architecture initializes it (seeded), every constant that is not a parameter kept byte for byte.
 */
export { randomizeModelBytes, randomizeModelInPlace } from './randomizeModel.js';
export { writeRandomizedModel, type WriteTwinOptions } from './twinFolder.js';
export { randomizedModelPath, untrainedTwin, TWIN_RECIPE_VERSION, type TwinCacheOptions } from './twinCache.js';
export { classifyInitializers, type ParameterRole, type InitializerRoles, type KeptConstant } from './parameterRoles.js';
export { initRecipe, describeRule, type InitRecipe, type InitRule } from './initRecipe.js';
export type * from './types.js';
