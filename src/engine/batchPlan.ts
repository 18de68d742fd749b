import { freemem } from 'node:os';
import type { PassRow } from './passRows.js';
import type { PastLayout } from './sequencePast.js';

/** What sets a batch's memory: the model's shape and what is asked of it. */
export interface BatchShape extends PastLayout {
  width: number;
  /** The model's context: a batch's past plus its new tokens must fit in it. */
  contextLength: number;
  tappedLayers: number;
  wantPresent: boolean;
}

/**
 * Rough bytes one batch needs: inputs, the stacked past, the taps returned, the present if kept, and
 * the working tensors ONNX Runtime holds for one block at a time (q/k/v, MLP, attention scores).
 * Rough on purpose: it only has to keep batches well inside memory.
 */
export function estimateBatchBytes(shape: BatchShape, batchSize: number, sequenceLength: number, pastLength: number): number {
  const floats = 4;
  const heads = Math.max(1, Math.round(shape.width / shape.headDim));
  const total = pastLength + sequenceLength;
  const kvPerPosition = shape.blocks * 2 * shape.kvHeads * shape.headDim;
  const perRow =
    pastLength * kvPerPosition * floats +
    (shape.wantPresent ? total * kvPerPosition * floats : 0) +
    sequenceLength * shape.width * shape.tappedLayers * floats +
    sequenceLength * shape.width * 12 * floats +
    heads * sequenceLength * total * floats * 2 +
    total * 24;
  return batchSize * perRow;
}

/** A budget from the memory the machine has free: a quarter of it, at most 2 GiB. */
export function defaultMemoryBudget(): number {
  return Math.min(2 * 1024 ** 3, Math.max(64 * 1024 ** 2, freemem() / 4));
}

/**
 * Beyond this many token positions per batch, matrix products are already large enough that bigger
 * batches buy no speed, only memory.
 */
const TOKENS_PER_BATCH_FOR_FULL_SPEED = 4096;

/**
 * Key positions (past + new tokens, over the rows) per batch: every row carries its sequence's keys and values,
 * so bands on long pasts would otherwise fill memory. Measured on gutenberg-gpt2-small at 150 words: capping
 * halves the peak memory, and 8,192 ran about 8 % faster than 16,384 or 32,768 (less padding, a smaller
 * working set), with no gain from going lower.
 */
const KEY_POSITIONS_PER_BATCH = 8192;

/**
 * Rows are ordered by past length in bins of this many tokens, then by input length: a batch's new tokens are
 * padded to its longest row and its past to its longest past, and both cost time; bins keep pasts close while
 * leaving room to line up input lengths.
 */
const PAST_BIN_TOKENS = 128;

/**
 * Groups rows into batches whose estimated size stays within the budget. Rows are sorted first so that a
 * batch holds rows of similar past and input length (little padding); a row too big alone still runs alone.
 */
export function planBatches(rows: readonly PassRow[], shape: BatchShape, budgetBytes: number): PassRow[][] {
  const pastBin = (row: PassRow) => Math.floor(row.pastLength / PAST_BIN_TOKENS);
  const sorted = rows.slice().sort((x, y) =>
    pastBin(x) - pastBin(y) || x.inputIds.length - y.inputIds.length || x.pastLength - y.pastLength);
  const batches: PassRow[][] = [];
  let current: PassRow[] = [];
  let sequenceLength = 0, pastLength = 0;
  for (const row of sorted) {
    const nextLength = Math.max(sequenceLength, row.inputIds.length);
    const nextPast = Math.max(pastLength, row.pastLength);
    const size = current.length + 1;
    const fits =
      estimateBatchBytes(shape, size, nextLength, nextPast) <= budgetBytes &&
      size * nextLength <= TOKENS_PER_BATCH_FOR_FULL_SPEED &&
      size * (nextPast + nextLength) <= KEY_POSITIONS_PER_BATCH &&
      nextPast + nextLength <= shape.contextLength;
    if (current.length > 0 && !fits) {
      batches.push(current);
      current = [];
      sequenceLength = 0;
      pastLength = 0;
    }
    current.push(row);
    sequenceLength = Math.max(sequenceLength, row.inputIds.length);
    pastLength = Math.max(pastLength, row.pastLength);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
