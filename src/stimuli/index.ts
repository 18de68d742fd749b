/** The stimuli stage: sequences from a cleaned corpus, one swap per word position, iw-stimuli/1 files. */
export {
  buildWindowStimuli, buildYokingStimuli,
  type BuiltStimuli, type SwapOptions, type WindowStimuliOptions, type YokingStimuliOptions,
} from './buildStimuli.js';
export {
  buildStimuliFromOptions, cleaningSteps, loadCleanCorpus, type CorpusRequest, type StimuliModelParts, type StimuliRequest,
} from './stimuliFromCorpus.js';
export { chooseSwapRule, type SwapChoice } from './chooseSwapRule.js';
export { corpusStats, type CorpusStats, type CorpusStatsOptions } from './corpusStats.js';
export { formatStimuliJson, parseStimuliJson, readStimuliFile, sha256OfStimuliText, writeStimuliFile } from './stimuliFile.js';
export { stimuliSchema } from './stimuliSchema.js';
export { TokenCounter, tokenCountChangedShare } from './tokenCounts.js';
export { corpusVocabulary, type Vocabulary } from './vocabulary.js';
export { WindowCatalogue, windowSegments } from './windowSequences.js';
export { drawYokingSequences, yokingSentences, type YokingSequence } from './yokingSequences.js';
export { BAND_RELATIVE_HALF_WIDTH, DEFAULT_SWAP_RANKS, MAX_EMBEDDING_CANDIDATES, type DistanceBand } from './swapRules/index.js';
export type { Stimuli, StimuliMeta, StimulusSequence, SwapRuleName, SwapSummary, WindowBoundary } from './types.js';
