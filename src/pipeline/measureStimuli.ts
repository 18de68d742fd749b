import { runSwapEngine, type EngineKind, type EngineStatistics } from '../engine/index.js';
import { DifferenceAccumulator, keptBytes, type KeepSequences } from '../measure/index.js';
import type { LanguageModel } from '../model/types.js';
import type { Stimuli } from '../stimuli/types.js';
import { UserError } from '../util/errors.js';
import type { RandomSource } from '../util/random.js';

export interface MeasureOptions {
  layers: readonly number[];
  maxLag: number;
  engine: EngineKind;
  /** Keep per-sequence differences (bootstrap, held-out comparison) within this many bytes. */
  keptBytesLimit: number;
  random: RandomSource;
  onProgress?: (sequencesDone: number, tokensComputed: number) => void;
}

export interface Measurement {
  differences: DifferenceAccumulator;
  statistics: EngineStatistics;
  /** How sequences were kept apart: one band each, (over the memory limit) groups of sequences, or not at all (one sequence). */
  keep: 'pooled' | 'sequences' | { groups: number };
}

/** Runs the stimuli through the model and accumulates the differences of every requested layer (docs/method.md §3). */
export async function measureStimuli(model: LanguageModel, stimuli: Stimuli, options: MeasureOptions): Promise<Measurement> {
  const wordCount = equalWordCount(stimuli);
  const width = model.taps.find((tap) => tap.layer === options.layers[0])!.width;
  const shape = { layers: options.layers, width, wordCount, maxLag: options.maxLag, sequenceCount: stimuli.sequences.length };
  const keep = chooseKeep(shape, options);
  const differences = new DifferenceAccumulator({ ...shape, keep });
  const statistics = await runSwapEngine(
    model,
    stimuli,
    { engine: options.engine, layers: options.layers, maxLag: options.maxLag, onProgress: options.onProgress },
    differences,
  );
  return { differences, statistics, keep: typeof keep === 'string' ? keep : { groups: keep.groups } };
}

/**
 * One band per sequence when that fits in the limit (an exact bootstrap over sequences); otherwise as many
 * groups of sequences as fit, at least 2 (the held-out halves need two).
 */
function chooseKeep(shape: Omit<ConstructorParameters<typeof DifferenceAccumulator>[0], 'keep'>, options: MeasureOptions): KeepSequences {
  if (shape.sequenceCount < 2) return 'pooled';
  if (keptBytes({ ...shape, keep: 'sequences' }) <= options.keptBytesLimit) return 'sequences';
  const perGroup = keptBytes({ ...shape, keep: { groups: 1, random: options.random } }) - keptBytes({ ...shape, keep: 'pooled' });
  const groups = Math.max(2, Math.min(shape.sequenceCount, Math.floor(options.keptBytesLimit / Math.max(1, perGroup))));
  return { groups, random: options.random };
}

function equalWordCount(stimuli: Stimuli): number {
  const wordCount = stimuli.sequences[0].words.length;
  stimuli.sequences.forEach((sequence, s) => {
    if (sequence.words.length !== wordCount) {
      throw new UserError(`stimuli sequence ${s + 1} has ${sequence.words.length} words but sequence 1 has ${wordCount}; iw needs sequences of equal length`);
    }
  });
  return wordCount;
}
