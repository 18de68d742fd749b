import type { LanguageModel } from '../src/model/types.js';

/**
 * The model with its forward passes timed: the engine's time outside them (tokenizing, stacking pasts,
 * pooling words, accumulating differences) is the rest of its wall time.
 */
export function withForwardTimer(model: LanguageModel): { model: LanguageModel; seconds: () => number } {
  let milliseconds = 0;
  const timed: LanguageModel = Object.create(model);
  timed.forward = async (input, request) => {
    const startedAt = performance.now();
    try {
      return await model.forward(input, request);
    } finally {
      milliseconds += performance.now() - startedAt;
    }
  };
  return { model: timed, seconds: () => milliseconds / 1000 };
}
