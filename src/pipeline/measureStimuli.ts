import { runSwapEngine, type EngineKind, type EngineStatistics, type SwapObserver } from '../engine/index.js';
import { DifferenceAccumulator, FutureSide, keptBytes, OutputReadout, ReadoutAccumulator, type KeepSequences } from '../measure/index.js';
import type { LanguageModel } from '../model/index.js';
import type { Stimuli } from '../stimuli/index.js';
import { UserError } from '../util/index.js';
import type { RandomSource } from '../util/index.js';
import type { StageTimer } from './stageTimer.js';

export interface MeasureOptions {
  layers: readonly number[];
  maxLag: number;
  engine: EngineKind;
  /** Keep per-sequence differences (bootstrap, held-out comparison) within this many bytes. */
  keptBytesLimit: number;
  random: RandomSource;
  /** Bidirectional models: swaps before this word are not used on the future side (as windows skip them on the usual side). */
  minSwap?: number;
  /** Bidirectional models: deals the future side's groups of sequences (give a generator in the same state as `random`, so both sides group alike). */
  futureRandom?: RandomSource;
  onProgress?: (sequencesDone: number, tokensComputed: number) => void;
  /** Progress on a terminal, made once the number of sequences to measure is known. */
  progress?: (total: number) => { tick(steps: number, work: number): void; finish(): void };
  /** Keep pooled sums only (a shard: its swaps go to its partial file, not to an analysis). */
  keepPooledOnly?: boolean;
  /** Keep a journal of the swaps for a checkpoint. */
  journal?: boolean;
  /** Only sequences [from, to) (a shard). */
  sequences?: [number, number];
  /** Also measure the output read-out (--readout output: docs/method.md §9); causal models only. */
  readout?: boolean;
  /** With readout and groups of sequences: deals the read-out's groups (a generator in the same state as `random`, so both group alike). */
  readoutRandom?: RandomSource;
  /** Called with the accumulators before the engine runs: may load a checkpoint into them, and gets every batch's end. */
  attach?: (accumulator: DifferenceAccumulator, readout?: ReadoutAccumulator) => { afterBatch(): void } | undefined;
  /** Gets the engine's time as two stages: differences (inside the accumulator) and forward (the rest). */
  timer?: StageTimer;
}

export interface Measurement {
  differences: DifferenceAccumulator;
  /** Bidirectional models: the future side (the swapped word after the measured one), in mirrored word order. */
  future?: DifferenceAccumulator;
  /** With --readout output: the output window's and the prediction divergence's differences (measure/outputReadout.ts). */
  readout?: ReadoutAccumulator;
  statistics: EngineStatistics;
  /** How sequences were kept apart: one band each, (over the memory limit) groups of sequences, or not at all (one sequence). */
  keep: 'pooled' | 'sequences' | { groups: number };
}

/** Runs the stimuli through the model and accumulates the differences of every requested layer (docs/method.md §3). */
export async function measureStimuli(model: LanguageModel, stimuli: Stimuli, options: MeasureOptions): Promise<Measurement> {
  const wordCount = equalWordCount(stimuli);
  const firstTap = model.taps.find((tap) => tap.layer === options.layers[0]);
  if (!firstTap) throw new Error(`layer ${options.layers[0]} is not one of the model's layers (check the layers before measuring)`);
  const width = firstTap.width;
  const shape = { layers: options.layers, width, wordCount, maxLag: options.maxLag, sequenceCount: stimuli.sequences.length };
  // A bidirectional model keeps a second accumulator of the same shape: each side gets half of the memory.
  const sides = model.bidirectional ? 2 : 1;
  const keep = options.keepPooledOnly ? 'pooled' : chooseKeep(shape, { ...options, keptBytesLimit: options.keptBytesLimit / sides });
  const differences = new DifferenceAccumulator({ ...shape, keep, journal: options.journal });
  const future = model.bidirectional
    ? new FutureSide({ ...shape, keep: typeof keep === 'string' ? keep : { groups: keep.groups, random: options.futureRandom ?? options.random } }, options.minSwap ?? 0)
    : undefined;
  if (options.readout && model.bidirectional) throw new Error('the output read-out needs a causal model (refuse --readout output before measuring)');
  const readout = options.readout
    ? new OutputReadout(new ReadoutAccumulator({
        wordCount, maxLag: options.maxLag, sequenceCount: stimuli.sequences.length, journal: options.journal,
        keep: typeof keep === 'string' ? keep : { groups: keep.groups, random: options.readoutRandom ?? options.random },
      }))
    : undefined;
  const [from, to] = options.sequences ?? [0, stimuli.sequences.length];
  // Sequences outside a shard's share are done with no swaps, so the sums fold the share's sequences as they finish.
  for (let s = 0; s < from; s++) {
    differences.onSequenceDone(s);
    readout?.onSequenceDone(s);
  }
  const checkpoint = options.attach?.(differences, readout?.accumulator);
  const progress = options.progress?.(to - from);
  let done = 0, tokens = 0;
  const layersObserver: SwapObserver = future ? bothSides(differences, future) : differences;
  const observer = readout ? withReadout(layersObserver, readout) : layersObserver;
  const differencesBefore = options.timer?.secondsOf('differences') ?? 0;
  try {
    const statistics = await runSwapEngine(
      model,
      stimuli,
      {
        engine: options.engine, layers: options.layers, maxLag: options.maxLag, sequences: [from, to], readout: readout !== undefined,
        isDone: checkpoint ? (s, k) => differences.hasSwap(s, k) && (readout?.accumulator.hasSwap(s, k) ?? true) : undefined,
        onBatchDone: checkpoint ? () => checkpoint.afterBatch() : undefined,
        onProgress: (sequencesDone, tokensComputed) => {
          progress?.tick(sequencesDone - done, tokensComputed - tokens);
          options.onProgress?.(sequencesDone, tokensComputed);
          done = sequencesDone;
          tokens = tokensComputed;
        },
      },
      options.timer ? timedObserver(observer, options.timer) : observer,
    );
    if (options.timer) {
      options.timer.add('forward', statistics.seconds - (options.timer.secondsOf('differences') - differencesBefore));
    }
    for (let s = to; s < stimuli.sequences.length; s++) {
      differences.onSequenceDone(s);
      readout?.onSequenceDone(s);
    }
    const measurement: Measurement = { differences, statistics, keep: typeof keep === 'string' ? keep : { groups: keep.groups } };
    if (future) measurement.future = future.mirrored;
    if (readout) measurement.readout = readout.accumulator;
    return measurement;
  } finally {
    progress?.finish();
  }
}

/** One observer for both sides: originals to each, the usual side's band and the future side's band to their own. */
function bothSides(usual: DifferenceAccumulator, future: FutureSide): SwapObserver {
  return {
    onOriginal: (s, layer, words) => {
      usual.onOriginal(s, layer, words);
      future.onOriginal(s, layer, words);
    },
    onSwap: (s, k, layer, band) => usual.onSwap(s, k, layer, band),
    onFutureSwap: (s, k, layer, band) => future.onFutureSwap(s, k, layer, band),
    onSequenceDone: (s) => {
      usual.onSequenceDone(s);
      future.onSequenceDone(s);
    },
  };
}

/** The layers' observer, with the output read-out's logits going to the read-out (and its sequences' ends to both). */
function withReadout(layers: SwapObserver, readout: OutputReadout): SwapObserver {
  const observer: SwapObserver = {
    onOriginal: (s, layer, words) => layers.onOriginal(s, layer, words),
    onSwap: (s, k, layer, band) => layers.onSwap(s, k, layer, band),
    onOriginalOutput: (s, logits) => readout.onOriginalOutput(s, logits),
    onSwapOutput: (s, k, logits) => readout.onSwapOutput(s, k, logits),
    onSequenceDone: (s) => {
      layers.onSequenceDone?.(s);
      readout.onSequenceDone(s);
    },
  };
  return observer;
}

/** The observer, with the time spent in each of its calls added to the timer's differences stage. */
function timedObserver(observer: SwapObserver, timer: StageTimer): SwapObserver {
  const timed: SwapObserver = {
    onOriginal: (s, layer, words) => timer.time('differences', () => observer.onOriginal(s, layer, words)),
    onSwap: (s, k, layer, band) => timer.time('differences', () => observer.onSwap(s, k, layer, band)),
    onSequenceDone: (s) => timer.time('differences', () => observer.onSequenceDone?.(s)),
  };
  const { onOriginalOutput, onSwapOutput } = observer;
  if (onOriginalOutput && onSwapOutput) {
    timed.onOriginalOutput = (s, logits) => timer.time('differences', () => onOriginalOutput.call(observer, s, logits));
    timed.onSwapOutput = (s, k, logits) => timer.time('differences', () => onSwapOutput.call(observer, s, k, logits));
  }
  // Only a bidirectional observer has a future side, and the engine asks whether it has one.
  const onFutureSwap = observer.onFutureSwap?.bind(observer);
  if (onFutureSwap) timed.onFutureSwap = (s, k, layer, band) => timer.time('differences', () => onFutureSwap(s, k, layer, band));
  return timed;
}

/**
 * Per-sequence differences are kept (for the bootstrap and held-out comparison) within this many bytes: fixed,
 * not a share of free memory, so that every machine, and `iw merge`, decides alike.
 */
export const KEPT_BYTES_LIMIT = 2 * 1024 ** 3;

/**
 * One band per sequence when that fits in the limit (an exact bootstrap over sequences); otherwise as many
 * groups of sequences as fit, at least 2 (the held-out halves need two).
 */
export function chooseKeep(shape: Omit<ConstructorParameters<typeof DifferenceAccumulator>[0], 'keep'>, options: Pick<MeasureOptions, 'keptBytesLimit' | 'random'>): KeepSequences {
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
