import type { LanguageModel, TokenizedWords } from '../model/index.js';
import type { Stimuli } from '../stimuli/index.js';
import { defaultMemoryBudget, estimateBatchBytes, planBatches, rowLayout, type BatchShape, type PlannedBatch, type RowLayout } from './batchPlan.js';
import { buildForwardInput } from './forwardBatch.js';
import { fitsContext, ORIGINAL, originalRow, splicedSwap, swapRow, tokenizeForModel, type PassRow } from './passRows.js';
import { extractSequencePast, PastStacker, type SequencePast } from './sequencePast.js';
import type { EngineKind, EngineOptions, EngineStatistics, SwapObserver } from './types.js';
import { poolWords } from '../model/index.js';
import { runBidirectionalEngine } from './bidirectionalEngine.js';

/**
 * The engine a model can run: fast needs past inputs and explicit position ids (a shared past with
 * masked positions only gives right positions when they are passed), and a model whose attention honours its
 * stacked, masked pasts (model.inexactPast empty: not GroupQueryAttention, no sliding window). Otherwise truncated
 * full passes, which are exact for any causal model. A model whose arithmetic mixes positions (DynamicQuantizeLinear)
 * runs every swap as a full pass of the whole sequence, alone in its batch (rowLayout), whatever was asked.
 */
export function effectiveEngine(requested: EngineKind, model: Pick<LanguageModel, 'acceptsPast' | 'acceptsPositionIds' | 'bidirectional' | 'inexactPast'>): EngineKind {
  if (model.bidirectional) return 'bidirectional'; // every word sees every other: no prefix to reuse, no pass to cut short
  const layout = rowLayout(model);
  if (layout.rowsAlone) return 'naive';
  if (requested !== 'fast') return requested;
  if ((model.inexactPast ?? []).length > 0) return 'truncated';
  return model.acceptsPast && model.acceptsPositionIds ? 'fast' : 'truncated';
}

/** What every step of one engine run shares. */
interface EngineRun {
  model: LanguageModel;
  stimuli: Stimuli;
  engine: EngineKind;
  options: EngineOptions;
  observer: SwapObserver;
  statistics: EngineStatistics;
  budget: number;
  /** How the model's rows are laid out in batches (rowLayout). */
  layout: RowLayout;
  shape: (wantPresent: boolean) => BatchShape;
  stacker: PastStacker;
}

/**
 * Runs every sequence of `stimuli` (or those of `options.sequences`) and every swap in it through the model and
 * hands the word activations of the originals and of the swapped bands to `observer`. Every row is padded to a
 * canonical shape of its own (planBatches), so it computes the same bits whatever shares its batch: however the run
 * is grouped, split into shards or restarted. Swaps that `options.isDone` reports finished are neither run nor
 * handed on (nor the original of a sequence with none left); forwardPasses and tokensComputed still count them, as
 * one uninterrupted run would.
 */
export async function runSwapEngine(
  model: LanguageModel,
  stimuli: Stimuli,
  options: EngineOptions,
  observer: SwapObserver,
): Promise<EngineStatistics> {
  const engine = effectiveEngine(options.engine, model);
  if (engine === 'bidirectional') return runBidirectionalEngine(model, stimuli, options, observer);
  const startedAt = performance.now();
  const width = model.taps.find((t) => t.layer === options.layers[0])?.width ?? model.taps[0].width;
  const run: EngineRun = {
    model, stimuli, engine, options, observer,
    statistics: { engine, forwardPasses: 0, batches: 0, tokensComputed: 0, tokensWithPadding: 0, seconds: 0, forwardPassesRun: 0, batchesRun: 0 },
    budget: options.memoryBudgetBytes ?? defaultMemoryBudget(),
    layout: rowLayout(model),
    shape: (wantPresent) => ({
      ...model.pastLayout, width, contextLength: model.resolved.contextLength, tappedLayers: options.layers.length, wantPresent,
      logitsWidth: options.readout ? model.tokenizer.vocabularySize : 0,
    }),
    stacker: new PastStacker(model.pastLayout),
  };
  const [from, to] = options.sequences ?? [0, stimuli.sequences.length];
  const groupSize = sequencesPerGroup(run);
  let sequencesDone = 0;
  for (let first = from; first < to; first += groupSize) {
    const indices = range(first, Math.min(to, first + groupSize));
    await runGroup(run, indices);
    sequencesDone += indices.length;
    options.onProgress?.(sequencesDone, run.statistics.tokensComputed);
  }
  run.statistics.seconds = (performance.now() - startedAt) / 1000;
  return run.statistics;
}

/** A group of sequences: their originals first (keeping their pasts for the fast engine), then all their swaps. */
async function runGroup(run: EngineRun, indices: number[]): Promise<void> {
  const { model, stimuli, engine, statistics } = run;
  const pasts = new Map<number, SequencePast>();
  const originals = indices.map((s): [number, TokenizedWords] =>
    [s, tokenizeForModel(model.tokenizer, stimuli.sequences[s].words, model.resolved.contextLength, () => `sequence ${s + 1}`)]);
  const originalRows = originals.map(([s, tokens]) => originalRow(s, tokens));
  const swapRows = originals.flatMap(([s, tokens]) => swapRowsOf(run, s, tokens));
  for (const row of [...originalRows, ...swapRows]) {
    statistics.forwardPasses += 1;
    statistics.tokensComputed += row.inputIds.length;
  }
  const isDone = run.options.isDone;
  const pending = isDone ? swapRows.filter((row) => !isDone(row.sequenceIndex, row.swapPosition)) : swapRows;
  const open = new Set(pending.map((row) => row.sequenceIndex));
  const wantPresent = engine === 'fast';
  for (const batch of planBatches(originalRows.filter((row) => open.has(row.sequenceIndex)), run.shape(wantPresent), run.budget, run.layout)) {
    await runBatch(run, batch, pasts, wantPresent);
  }
  const batches = planBatches(pending, run.shape(false), run.budget, run.layout);
  run.stacker.reserve(Math.max(0, ...batches.map((batch) => run.stacker.stackSize(batch.rows.length, batch.pastLength))));
  for (const batch of batches) {
    await runBatch(run, batch, pasts, false);
    await run.options.onBatchDone?.();
  }
  for (const s of indices) run.observer.onSequenceDone?.(s);
}

function swapRowsOf(run: EngineRun, sequenceIndex: number, original: TokenizedWords): PassRow[] {
  const { swaps } = run.stimuli.sequences[sequenceIndex];
  const rows: PassRow[] = [];
  swaps.forEach((replacement, k) => {
    if (replacement === null) return;
    const swapped = fitsContext(splicedSwap(run.model.tokenizer, original, k, replacement), run.model.resolved.contextLength,
      () => `sequence ${sequenceIndex + 1} with word ${k + 1} swapped for "${replacement}"`);
    rows.push(swapRow(run.engine, sequenceIndex, original, swapped, k, run.options.maxLag));
  });
  return rows;
}

async function runBatch(run: EngineRun, batch: PlannedBatch, pasts: Map<number, SequencePast>, wantPresent: boolean): Promise<void> {
  const { model, options, observer, statistics } = run;
  const { rows } = batch;
  const input = buildForwardInput(rows, (s) => pasts.get(s), run.stacker, model.acceptsPositionIds, batch);
  const logitRows = options.readout ? lastTokenPositions(rows, input.sequenceLength) : undefined;
  const output = await model.forward(input, { layers: options.layers, wantPresent, logitRows });
  statistics.batches += 1;
  statistics.batchesRun += 1;
  statistics.forwardPassesRun += rows.length;
  statistics.tokensWithPadding += input.batchSize * input.sequenceLength;
  rows.forEach((row, r) => {
    if (wantPresent && output.present) {
      pasts.set(row.sequenceIndex, extractSequencePast(output.present, r, row.inputIds.length, model.pastLayout));
    }
    for (const layer of options.layers) {
      const taps = output.taps.get(layer);
      if (!taps) throw new Error(`model returned no tap for layer ${layer}`);
      const width = taps.length / (input.batchSize * input.sequenceLength);
      const words = poolWords(taps, r * input.sequenceLength * width, width, row.readSpans, row.pastLength);
      if (row.swapPosition === ORIGINAL) observer.onOriginal(row.sequenceIndex, layer, words);
      else observer.onSwap(row.sequenceIndex, row.swapPosition, layer, words);
    }
  });
  if (logitRows) handOnOutputs(observer, rows, output.logits, logitRows.length);
}

/**
 * The token of each batch row's read words whose logits are the model's prediction of the next word: the word's
 * last (its earlier tokens predict the rest of the word), as flat positions row × S + position (docs/method.md §9).
 */
function lastTokenPositions(rows: readonly PassRow[], sequenceLength: number): Int32Array {
  return Int32Array.from(rows.flatMap((row, r) => row.readSpans.map(([, end]) => r * sequenceLength + end - 1 - row.pastLength)));
}

/** Each row's logits at its read words (in lastTokenPositions' order), handed on (--readout output). */
function handOnOutputs(observer: SwapObserver, rows: readonly PassRow[], logits: Float32Array | undefined, count: number): void {
  if (!logits) throw new Error("model returned no logits (load it with logits 'rows' for --readout output)");
  const vocabulary = logits.length / count;
  let first = 0;
  for (const row of rows) {
    const words = logits.subarray(first * vocabulary, (first + row.readSpans.length) * vocabulary);
    first += row.readSpans.length;
    if (row.swapPosition === ORIGINAL) observer.onOriginalOutput?.(row.sequenceIndex, words);
    else observer.onSwapOutput?.(row.sequenceIndex, row.swapPosition, words);
  }
}

/**
 * How many sequences to hold at once: their pasts are kept while their swaps run, so a group's pasts
 * take at most a quarter of the budget; more sequences per group means fuller batches. (Groups change which rows
 * share a batch, never a row's numbers.)
 */
function sequencesPerGroup(run: EngineRun): number {
  const { stimuli, model, budget } = run;
  const longest = Math.max(1, ...stimuli.sequences.map((s) => s.words.length));
  const tokensGuess = Math.min(model.resolved.contextLength, longest * 2);
  const pastBytes = estimateBatchBytes({ ...run.shape(true), tappedLayers: 0, logitsWidth: 0 }, 1, 0, tokensGuess);
  // With the read-out, the observer holds each original's logits (float32) and probabilities (float64) per word while its swaps run.
  const outputBytes = run.options.readout ? longest * model.tokenizer.vocabularySize * (4 + 8) : 0;
  return Math.max(1, Math.min(64, Math.floor(budget / 4 / Math.max(1, pastBytes + outputBytes))));
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
