import { corpusFormat } from '../src/config/options/corpus.js';
import { defaultCleaningSteps } from '../src/corpus/index.js';
import type { CleanCorpus } from '../src/corpus/types.js';
import type { WordTokenizer } from '../src/model/types.js';
import { buildStimuliFromOptions, loadCleanCorpus } from '../src/stimuli/index.js';
import type { Stimuli, StimulusSequence } from '../src/stimuli/types.js';
import { UserError } from '../src/util/errors.js';
import { longestTokenCount, tokenizeSequence, type TokenizedSequence } from './tokenPositions.js';

/** Stimuli of one word count, every sequence (and every swapped version of it) within the model's context. */
export interface BenchStimuli {
  words: number;
  sequences: StimulusSequence[];
  tokenized: TokenizedSequence[];
  /** Candidates left out because some version of them was longer than the context. */
  tooLong: number;
  contextLength: number;
}

/**
 * Builds window stimuli as `iw stimuli` would (POS swaps on a tagged corpus, random swaps otherwise), drawing
 * more candidates than wanted and keeping the first that fit the context: at about 1.4 tokens per word, some
 * 150-word windows of the Brown corpus exceed gutenberg-gpt2-small's 256 tokens, and the engine refuses them.
 */
export async function buildBenchStimuli(
  clean: CleanCorpus,
  tokenizer: WordTokenizer,
  contextLength: number,
  size: { words: number; sequences: number },
  seed: number,
): Promise<BenchStimuli> {
  const candidates = Math.ceil(size.sequences * 1.5) + 2;
  const built = await buildStimuliFromOptions(clean, {
    sequences: candidates, words: size.words, within: 'document', swap: clean.tagged ? 'pos' : 'random',
    yoking: false, sentences: 5, sentenceWords: 12, seed,
  }, { name: 'bench', tokenizer });
  const tokenized = built.sequences.map((sequence) => tokenizeSequence(sequence, tokenizer));
  const kept = fittingSequences(tokenized, contextLength, size.sequences, size.words);
  return {
    words: size.words,
    sequences: kept.map((i) => built.sequences[i]),
    tokenized: kept.map((i) => tokenized[i]),
    tooLong: tokenized.filter((t) => longestTokenCount(t) > contextLength).length,
    contextLength,
  };
}

/** Indices of the first `wanted` sequences whose every version fits in the context. */
export function fittingSequences(tokenized: readonly TokenizedSequence[], contextLength: number, wanted: number, words: number): number[] {
  const fitting = tokenized.flatMap((t, i) => (longestTokenCount(t) <= contextLength ? [i] : []));
  if (fitting.length < wanted) {
    throw new UserError(
      `only ${fitting.length} of ${tokenized.length} sequences of ${words} words fit in the model's context of ${contextLength} tokens ` +
      `(with every swap); bench a model with a longer context, or fewer words`,
    );
  }
  return fitting.slice(0, wanted);
}

/** The first `sequences` sequences as a stimuli set (every case of one word count shares the same draw). */
export function firstSequences(stimuli: BenchStimuli, from: number, to: number): Stimuli {
  return { format: 'iw-stimuli/1', sequences: stimuli.sequences.slice(from, to) };
}

/** The corpus cleaned as `iw stimuli` cleans it by default. */
export function loadBenchCorpus(corpus: string): CleanCorpus {
  return loadCleanCorpus({ corpus, corpusFormat: corpusFormat.defaultValue, ...defaultCleaningSteps }).clean;
}
