import { UserError } from '../../util/index.js';

/**
 * Refuses an input of `tokens` tokens to a model that takes at most `contextLength` (its context), naming what is
 * too long (`what`), the model, both lengths, and what to do (`advice`) when there is something better than a
 * shorter input. Every context check of the model layer is this one.
 */
export function checkWithinContext(tokens: number, contextLength: number, what: string, model: string, advice?: string): void {
  if (tokens <= contextLength) return;
  throw new UserError(`${what} is ${tokens} tokens long, but ${model} takes at most ${contextLength} (its context)${advice ? `; ${advice}` : ''}`);
}
