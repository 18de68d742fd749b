import { isAlphabetic } from '../../corpus/index.js';
import { randomInt } from '../../util/index.js';
import type { MaskedContext, WordPredictor } from '../../model/index.js';
import type { TokenCounter } from '../tokenCounts.js';
import type { SwapRule, WordPlace } from './swapRule.js';

/** The ranks [low, high) of --swap probable when none are asked for: one of the five most probable, the authors' demo setting. */
export const DEFAULT_SWAP_RANKS: readonly [number, number] = [0, 5];

export interface ProbableRuleOptions {
  predictor: WordPredictor;
  /** Ranks [low, high) of the kept candidates to draw from (the authors' demo: 0, 5). */
  ranks: [number, number];
  /** Yoking stimuli: candidates must be one token under the measured model's tokenizer. */
  singleTokens?: TokenCounter;
  /** The stimuli were lowercased in cleaning: candidates holding a capital could not be one of their words. */
  lowercase: boolean;
}

/**
 * Ranks candidates for every word of every sequence (one masked pass each, batched by the predictor) and returns
 * the rule that draws from them. `sentenceStarts` (yoking stimuli) makes each context the word's own sentence.
 *
 * `probable`: the authors' ProbableWordSwap. Each word is replaced by one mask token in its context (yoking stimuli:
 * the word's own sentence; window stimuli: the whole sequence), a fill-mask model ranks its vocabulary at the mask,
 * and of the candidates that are whole words (a token that begins a word, not a piece inside one), purely alphabetic
 * and not the original, one is drawn uniformly from ranks [low, high). Where fewer than low + 1 candidates are left,
 * the rule has none (the authors drop the sequence; iw falls back to the random rule and counts it, as for the
 * other rules). Yoking stimuli keep only candidates that are one token under the measured model.
 *
 * The fill-mask model is behind WordPredictor (src/model/types.ts; src/model/fillMask.ts implements it), so this file
 * only says which contexts to ask about and which candidates to keep.
 */
export async function prepareProbableRule(
  sequences: readonly (readonly string[])[],
  sentenceStarts: ReadonlyArray<readonly number[] | undefined>,
  options: ProbableRuleOptions,
): Promise<SwapRule> {
  const [low, high] = options.ranks;
  const contexts: MaskedContext[] = [];
  const originals: string[] = [];
  /** Where each sequence's contexts start among all contexts. */
  const firstContext: number[] = [];
  sequences.forEach((words, s) => {
    firstContext.push(contexts.length);
    words.forEach((word, k) => {
      contexts.push(contextOf(words, k, sentenceStarts[s]));
      originals.push(word);
    });
  });
  const accept = (word: string, context: number) =>
    word !== originals[context] &&
    isAlphabetic(word) &&
    (!options.lowercase || word === word.toLowerCase()) &&
    (!options.singleTokens || options.singleTokens.isSingleToken(word));
  const ranked = await options.predictor.predict(contexts, accept, high);
  return {
    name: 'probable',
    choose: (_word, random, place?: WordPlace) => {
      if (!place) throw new Error('the probable rule chooses for a word at a place (sequence, position)');
      const candidates = ranked[firstContext[place.sequence] + place.position];
      const top = Math.min(high, candidates.length);
      if (top <= low) return null;
      return candidates[low + randomInt(random, top - low)];
    },
  };
}

/** The word's own sentence when the sequence has sentences (yoking), else the whole sequence. */
function contextOf(words: readonly string[], position: number, sentenceStarts: readonly number[] | undefined): MaskedContext {
  if (!sentenceStarts || sentenceStarts.length === 0) return { words, position };
  let start = 0;
  for (const s of sentenceStarts) if (s <= position) start = s;
  const next = sentenceStarts.find((s) => s > position) ?? words.length;
  return { words: words.slice(start, next), position: position - start };
}
