import type { LanguageModel, TokenizedWords } from '../model/index.js';
import type { Stimuli } from '../stimuli/index.js';
import { defaultMemoryBudget, planBatches, rowLayout, type BatchShape } from './batchPlan.js';
import { buildForwardInput } from './forwardBatch.js';
import { fitsContext, ORIGINAL, originalRow, splicedSwap, tokenizeForModel, type PassRow } from './passRows.js';
import { PastStacker } from './sequencePast.js';
import type { EngineOptions, EngineStatistics, SwapObserver } from './types.js';
import { poolWords } from '../model/index.js';

/**
 * The engine of a bidirectional model (an encoder: every word's layers depend on the words after it too). There is
 * no prefix to reuse and no pass to cut short, so every swap is a full pass of the swapped sequence, batched with
 * others of similar length. Each pass is read on both sides of the swapped word k: words k .. k + maxLag (the usual
 * side, handed to onSwap as every engine does) and words k, k − 1, …, k − maxLag (the future side, seen from the
 * measured word: the swapped word lies Δ words after it; handed to onFutureSwap nearest first).
 */
const SEQUENCES_PER_GROUP = 32;

export async function runBidirectionalEngine(
  model: LanguageModel,
  stimuli: Stimuli,
  options: EngineOptions,
  observer: SwapObserver,
): Promise<EngineStatistics> {
  const startedAt = performance.now();
  const statistics: EngineStatistics = { engine: 'bidirectional', forwardPasses: 0, batches: 0, tokensComputed: 0, tokensWithPadding: 0, seconds: 0, forwardPassesRun: 0, batchesRun: 0 };
  const width = model.taps.find((t) => t.layer === options.layers[0])?.width ?? model.taps[0].width;
  const shape: BatchShape = {
    ...model.pastLayout, width, contextLength: model.resolved.contextLength, tappedLayers: options.layers.length, wantPresent: false,
  };
  const budget = options.memoryBudgetBytes ?? defaultMemoryBudget();
  const stacker = new PastStacker(model.pastLayout);
  const layout = rowLayout(model);
  const run = async (rows: PassRow[]) => {
    for (const planned of planBatches(rows, shape, budget, layout)) {
      const batch = planned.rows;
      const input = buildForwardInput(batch, () => undefined, stacker, model.acceptsPositionIds, planned);
      const output = await model.forward(input, { layers: options.layers });
      statistics.batches += 1;
      statistics.batchesRun += 1;
      statistics.forwardPasses += batch.length;
      statistics.forwardPassesRun += batch.length;
      statistics.tokensComputed += batch.reduce((sum, row) => sum + row.inputIds.length, 0);
      statistics.tokensWithPadding += input.batchSize * input.sequenceLength;
      batch.forEach((row, r) => {
        for (const layer of options.layers) {
          const taps = output.taps.get(layer);
          if (!taps) throw new Error(`model returned no tap for layer ${layer}`);
          const words = poolWords(taps, r * input.sequenceLength * width, width, row.readSpans, 0);
          handOn(observer, row, layer, words, width, options.maxLag);
        }
      });
    }
  };
  let sequencesDone = 0;
  for (let first = 0; first < stimuli.sequences.length; first += SEQUENCES_PER_GROUP) {
    const indices = Array.from({ length: Math.min(SEQUENCES_PER_GROUP, stimuli.sequences.length - first) }, (_, i) => first + i);
    const originals = indices.map((s) => tokenizeForModel(model.tokenizer, stimuli.sequences[s].words, model.resolved.contextLength, () => `sequence ${s + 1}`));
    await run(indices.map((s, i) => originalRow(s, originals[i])));
    await run(indices.flatMap((s, i) => swapRows(model, stimuli, s, originals[i], options.maxLag)));
    for (const s of indices) observer.onSequenceDone?.(s);
    sequencesDone += indices.length;
    options.onProgress?.(sequencesDone, statistics.tokensComputed);
  }
  statistics.seconds = (performance.now() - startedAt) / 1000;
  return statistics;
}

/** Full passes of every swap of one sequence, each reading words k − maxLag .. k + maxLag (clipped at the ends). */
function swapRows(model: LanguageModel, stimuli: Stimuli, sequenceIndex: number, original: TokenizedWords, maxLag: number): PassRow[] {
  const rows: PassRow[] = [];
  stimuli.sequences[sequenceIndex].swaps.forEach((replacement, k) => {
    if (replacement === null) return;
    const swapped = fitsContext(splicedSwap(model.tokenizer, original, k, replacement), model.resolved.contextLength,
      () => `sequence ${sequenceIndex + 1} with word ${k + 1} swapped for "${replacement}"`);
    const first = Math.max(0, k - maxLag);
    const last = Math.min(swapped.wordSpans.length - 1, k + maxLag);
    rows.push({ sequenceIndex, swapPosition: k, inputIds: swapped.ids, pastLength: 0, readSpans: swapped.wordSpans.slice(first, last + 1) });
  });
  return rows;
}

/** One row's word activations to the observer: the original whole, a swap as its two sides. */
function handOn(observer: SwapObserver, row: PassRow, layer: number, words: Float32Array, width: number, maxLag: number): void {
  if (row.swapPosition === ORIGINAL) {
    observer.onOriginal(row.sequenceIndex, layer, words);
    return;
  }
  const k = row.swapPosition;
  const before = k - Math.max(0, k - maxLag); // words read before k
  observer.onSwap(row.sequenceIndex, k, layer, words.subarray(before * width));
  if (!observer.onFutureSwap) return;
  const nearestFirst = new Float32Array((before + 1) * width);
  for (let j = 0; j <= before; j++) nearestFirst.set(words.subarray((before - j) * width, (before - j + 1) * width), j * width);
  observer.onFutureSwap(row.sequenceIndex, k, layer, nearestFirst);
}
