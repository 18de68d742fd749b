import type { SwapRuleName } from './types.js';

/** A swap rule, or auto to let the corpus and model decide. */
export type SwapChoice = SwapRuleName | 'auto';

/**
 * What `auto` means: yoking stimuli use embedding swaps (the authors' control for swap size; yoking needs a
 * model anyway); window stimuli use pos on a tagged corpus, else embedding when a model is there, else random.
 */
export function chooseSwapRule(choice: SwapChoice, context: { yoking: boolean; tagged: boolean; hasModel: boolean }): SwapRuleName {
  if (choice !== 'auto') return choice;
  if (context.yoking) return 'embedding';
  if (context.tagged) return 'pos';
  return context.hasModel ? 'embedding' : 'random';
}
