import type { EmbeddingMatrix } from '../../model/index.js';
import { UserError } from '../../util/index.js';
import type { RandomSource } from '../../util/index.js';
import type { TokenCounter } from '../tokenCounts.js';
import type { ProbableSwapRecord, SwapRuleName } from '../types.js';
import type { Vocabulary } from '../vocabulary.js';
import { chooseDistanceBand, type DistanceBand } from './embeddingBand.js';
import { EmbeddingSpace } from './embeddingSpace.js';
import { embeddingSwapRule } from './embeddingSwap.js';
import { posSwapRule } from './posSwap.js';
import { randomSwapRule } from './randomSwap.js';
import { prepareProbableRule, type ProbableRuleOptions } from './probableSwap.js';
import type { SwapRule } from './swapRule.js';

export type { SwapRule, WordPlace } from './swapRule.js';
export type { MaskedContext, WordPredictor } from '../../model/index.js';
export type { DistanceBand } from './embeddingBand.js';
export { DEFAULT_SWAP_RANKS } from './probableSwap.js';
export { BAND_RELATIVE_HALF_WIDTH, chooseDistanceBand } from './embeddingBand.js';
export { EmbeddingSpace, MAX_EMBEDDING_CANDIDATES } from './embeddingSpace.js';
export { CandidatePool } from './candidatePool.js';

export interface SwapRuleInputs {
  rule: SwapRuleName;
  vocabulary: Vocabulary;
  /** Whether the corpus has part-of-speech tags. */
  tagged: boolean;
  tokens?: TokenCounter;
  embedding?: EmbeddingMatrix;
  /** embedding rule: a band to use instead of choosing one. */
  band?: DistanceBand;
  /** Replacements must be single tokens (yoking stimuli); otherwise single tokens are preferred where possible. */
  strictSingleToken: boolean;
  /** Words that will be swapped: the automatic embedding band is chosen on them. */
  originals: readonly string[];
}

/** A rule ready to choose replacements, the random rule it falls back to, and the band it used. */
export interface PreparedSwapRule {
  rule: SwapRule;
  fallback: SwapRule;
  band?: { low: number; high: number; chosen: 'auto' | 'given' };
  /** probable rule: the fill-mask model and the ranks drawn from. */
  probable?: ProbableSwapRecord;
}

/** Builds the swap rule asked for, refusing with a clear message when the corpus or model cannot support it. */
export function prepareSwapRule(inputs: SwapRuleInputs, random: RandomSource): PreparedSwapRule {
  const fallback = randomSwapRule(inputs.vocabulary, inputs.tokens, inputs.strictSingleToken);
  switch (inputs.rule) {
    case 'random':
      return { rule: fallback, fallback };
    case 'pos':
      if (!inputs.tagged) {
        throw new UserError('--swap pos needs a tagged corpus (the Brown word/tag format): this corpus has no part-of-speech tags; use --swap embedding (with --model) or --swap random');
      }
      return { rule: posSwapRule(inputs.vocabulary, inputs.tokens, inputs.strictSingleToken), fallback };
    case 'embedding':
      return { ...prepareEmbeddingRule(inputs, random), fallback };
    case 'probable':
      throw new Error('the probable rule ranks candidates with a model: prepare it with prepareProbableSwapRule');
  }
}

/** The probable rule (probableSwap.ts) for these sequences, and the random rule it falls back to. */
export async function prepareProbableSwapRule(
  inputs: Pick<SwapRuleInputs, 'vocabulary' | 'tokens' | 'strictSingleToken'>,
  sequences: readonly (readonly string[])[],
  sentenceStarts: ReadonlyArray<readonly number[] | undefined>,
  options: Omit<ProbableRuleOptions, 'singleTokens'>,
): Promise<PreparedSwapRule> {
  const singleTokens = inputs.strictSingleToken ? inputs.tokens : undefined;
  return {
    rule: await prepareProbableRule(sequences, sentenceStarts, { ...options, singleTokens }),
    fallback: randomSwapRule(inputs.vocabulary, inputs.tokens, inputs.strictSingleToken),
  };
}

function prepareEmbeddingRule(inputs: SwapRuleInputs, random: RandomSource): Pick<PreparedSwapRule, 'rule' | 'band'> {
  const { tokens, embedding } = inputs;
  if (!tokens || !embedding) {
    throw new UserError('--swap embedding needs --model: replacements are chosen by distance in the model\'s input-embedding matrix');
  }
  const singleTokenWords = inputs.vocabulary.types.filter((w) => tokens.isSingleToken(w));
  if (singleTokenWords.length < 2) {
    throw new UserError(`--swap embedding needs single-token words to swap in, and only ${singleTokenWords.length} corpus word is a single token under the model's tokenizer`);
  }
  const space = new EmbeddingSpace(singleTokenWords, tokens, embedding, random);
  const band = inputs.band ?? chooseDistanceBand(inputs.originals, space, random);
  return { rule: embeddingSwapRule(space, band), band: { low: band.low, high: band.high, chosen: inputs.band ? 'given' : 'auto' } };
}
