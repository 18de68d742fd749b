import type { CleanCorpus } from '../corpus/index.js';
import type { EmbeddingMatrix, WordTokenizer } from '../model/index.js';
import { UserError } from '../util/index.js';
import { createRandom, type RandomSource } from '../util/index.js';
import { assignSwaps } from './assignSwaps.js';
import { prepareProbableSwapRule, prepareSwapRule, type DistanceBand, type PreparedSwapRule, type WordPredictor } from './swapRules/index.js';
import { TokenCounter, tokenCountChangedShare } from './tokenCounts.js';
import type { Stimuli, StimuliMeta, SwapRuleName, SwapSummary, WindowBoundary } from './types.js';
import { corpusVocabulary } from './vocabulary.js';
import { WindowCatalogue } from './windowSequences.js';
import { drawYokingSequences, yokingSentences } from './yokingSequences.js';

/** What every builder needs to choose swaps. */
export interface SwapOptions {
  swap: SwapRuleName;
  /** Seeds the one generator every random choice comes from: same inputs and seed, same stimuli. */
  seed: number;
  /** The model's tokenizer: single-token checks, token-count changes, embedding swaps. */
  tokenizer?: WordTokenizer;
  /** The model's input embeddings: embedding swaps only. */
  embedding?: EmbeddingMatrix;
  /** embedding swaps: a band of distances to use instead of the automatic one. */
  band?: DistanceBand;
  /** probable swaps: the fill-mask model that ranks candidates, and the ranks [low, high) to draw from. */
  probable?: { predictor: WordPredictor; ranks: [number, number] };
}

export interface WindowStimuliOptions extends SwapOptions {
  /** Sequences wanted (fewer when the corpus allows fewer; meta says how many it allowed). */
  sequences: number;
  /** Words per sequence. */
  words: number;
  /** Where a sequence may lie: inside a run, a sentence, a document, or anywhere. */
  within: WindowBoundary;
}

export interface YokingStimuliOptions extends SwapOptions {
  sequences: number;
  /** Sentences per sequence (docs/method.md: 5). */
  sentences: number;
  /** Words in every sentence (docs/method.md: 12). */
  sentenceWords: number;
  tokenizer: WordTokenizer;
}

/** Stimuli as the builders make them: the meta block is always there. */
export type BuiltStimuli = Stimuli & { meta: StimuliMeta };

/** Window stimuli: S non-overlapping sequences of N consecutive cleaned words, one swap per position. */
export async function buildWindowStimuli(clean: CleanCorpus, options: WindowStimuliOptions): Promise<BuiltStimuli> {
  const random = createRandom(options.seed);
  const catalogue = new WindowCatalogue(clean.sentences, options.words, options.within);
  if (catalogue.available === 0) throw noWindowFits(clean, catalogue);
  const sequences = catalogue.choose(options.sequences, random);
  const notes: string[] = [];
  if (catalogue.available < options.sequences) {
    notes.push(`the corpus allowed only ${catalogue.available} of the ${options.sequences} sequences asked for (${options.words} words, within ${describeWithin(options.within)})`);
  }
  const { swaps, summary } = await chooseSwaps(clean, sequences, [], options, false, random, notes);
  return {
    format: 'iw-stimuli/1',
    sequences: sequences.map((words, s) => ({ words, swaps: swaps[s] })),
    meta: {
      ...metaHead('window', clean, options),
      sequencesRequested: options.sequences,
      sequencesAvailable: catalogue.available,
      wordsPerSequence: options.words,
      within: options.within,
      swap: summary,
      notes,
    },
  };
}

/**
 * Yoking stimuli: sequences of K sentences of exactly L words, every word a single token, sentences drawn
 * with replacement; sentenceStarts are 0, L, 2L, ... Replacements are single tokens only.
 */
export async function buildYokingStimuli(clean: CleanCorpus, options: YokingStimuliOptions): Promise<BuiltStimuli> {
  const random = createRandom(options.seed);
  const tokens = new TokenCounter(options.tokenizer);
  const eligible = yokingSentences(clean.sentences, options.sentenceWords, tokens);
  if (eligible.length < options.sentences) {
    throw new UserError(
      `${clean.source.path}: found ${eligible.length} sentence${eligible.length === 1 ? '' : 's'} of exactly ${options.sentenceWords} single-token words ` +
      `(after cleaning, none of their words dropped); yoking sequences of ${options.sentences} distinct sentences (--sentences) need at least ${options.sentences}. ` +
      'Try another --sentence-words, a larger corpus, or a model whose tokenizer keeps more words whole',
    );
  }
  const drawn = drawYokingSequences(eligible, options.sequences, options.sentences, random);
  const notes: string[] = [];
  const { swaps, summary } = await chooseSwaps(clean, drawn.map((d) => d.words), drawn.map((d) => d.sentenceStarts), options, true, random, notes);
  return {
    format: 'iw-stimuli/1',
    sequences: drawn.map((d, s) => ({ words: d.words, swaps: swaps[s], sentenceStarts: d.sentenceStarts })),
    meta: {
      ...metaHead('yoking', clean, options),
      sequencesRequested: options.sequences,
      sequencesAvailable: null,
      wordsPerSequence: options.sentences * options.sentenceWords,
      sentencesPerSequence: options.sentences,
      sentenceWords: options.sentenceWords,
      eligibleSentences: eligible.length,
      swap: summary,
      notes,
    },
  };
}

async function chooseSwaps(
  clean: CleanCorpus,
  sequences: string[][],
  sentenceStarts: ReadonlyArray<readonly number[] | undefined>,
  options: SwapOptions,
  strictSingleToken: boolean,
  random: RandomSource,
  notes: string[],
): Promise<{ swaps: string[][]; summary: SwapSummary }> {
  const tokens = options.tokenizer ? new TokenCounter(options.tokenizer) : undefined;
  const inputs = {
    rule: options.swap,
    vocabulary: corpusVocabulary(clean),
    tagged: clean.tagged,
    tokens,
    embedding: options.embedding,
    band: options.band,
    strictSingleToken,
    originals: sequences.flat(),
  };
  let prepared: PreparedSwapRule;
  if (options.swap === 'probable') {
    if (!options.probable) throw new UserError('--swap probable needs a fill-mask model: --swap-model ID|DIR (or a masked LM as --model)');
    const { predictor, ranks } = options.probable;
    prepared = await prepareProbableSwapRule(inputs, sequences, sentenceStarts, { predictor, ranks, lowercase: clean.steps.lowercase });
    prepared.probable = { model: predictor.id, sha256: await predictor.sha256(), ranks: [...ranks] };
  } else {
    prepared = prepareSwapRule(inputs, random);
  }
  const assigned = assignSwaps(sequences, prepared.rule, prepared.fallback, random);
  const fallbackShare = assigned.positions === 0 ? 0 : assigned.fallbacks / assigned.positions;
  if (assigned.fallbacks > 0 && options.swap !== 'random') {
    notes.push(`${assigned.fallbacks} of ${assigned.positions} positions (${(100 * fallbackShare).toFixed(1)} %) had no ${options.swap} candidate and took a random word instead`);
  }
  if (!tokens) notes.push('no tokenizer was given: replacements were not checked to be single tokens, and token-count changes were not counted');
  const swaps = assigned.swaps;
  const summary: SwapSummary = {
    rule: options.swap,
    swaps: assigned.positions,
    fallbackShare,
    singleTokenChecked: tokens !== undefined,
    tokenCountChangedShare: tokens ? tokenCountChangedShare({ sequences: sequences.map((words, s) => ({ words, swaps: swaps[s] })) }, tokens) : null,
    ...(prepared.band ? { band: prepared.band } : {}),
    ...(prepared.probable ? { probable: prepared.probable } : {}),
  };
  return { swaps, summary };
}

function metaHead(kind: StimuliMeta['kind'], clean: CleanCorpus, options: SwapOptions): Pick<StimuliMeta, 'kind' | 'corpus' | 'cleaning' | 'seed'> {
  return {
    kind,
    corpus: {
      path: clean.source.path,
      files: clean.source.files,
      format: clean.source.format,
      detectedFormat: clean.source.detectedFormat,
      sentences: clean.counts.sentencesRead,
      cleanedSentences: clean.counts.sentencesKept,
    },
    cleaning: { ...clean.steps },
    seed: options.seed,
  };
}

function noWindowFits(clean: CleanCorpus, catalogue: WindowCatalogue): UserError {
  const longest = catalogue.segments.reduce((m, s) => Math.max(m, s.length), 0);
  const wider = catalogue.within === 'corpus' ? '' : '; let sequences cross more boundaries (--within document or corpus) or ask for fewer --words';
  return new UserError(
    `${clean.source.path}: not one ${catalogue.words}-word sequence fits within ${describeWithin(catalogue.within)}: ` +
    `the longest has ${longest} cleaned word${longest === 1 ? '' : 's'}, ${catalogue.words} are needed${wider}`,
  );
}

function describeWithin(within: WindowBoundary): string {
  switch (within) {
    case 'run': return 'one unbroken run (no punctuation inside)';
    case 'sentence': return 'one sentence';
    case 'document': return 'one document';
    case 'corpus': return 'the whole corpus';
  }
}
