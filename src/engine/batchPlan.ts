import { freemem } from 'node:os';
import type { PassRow } from './passRows.js';
import type { LanguageModel, PastLayout } from '../model/index.js';

/** What sets a batch's memory: the model's shape and what is asked of it. */
export interface BatchShape extends PastLayout {
  width: number;
  /** The model's context: a batch's past plus its new tokens must fit in it. */
  contextLength: number;
  tappedLayers: number;
  wantPresent: boolean;
  /** Vocabulary size when the logits are fetched too (--readout output); absent or 0 otherwise. */
  logitsWidth?: number;
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
  const kvBytes = keyValueBytesPerPosition(shape);
  const perRow =
    pastLength * kvBytes +
    (shape.wantPresent ? total * kvBytes : 0) +
    sequenceLength * shape.width * shape.tappedLayers * floats +
    sequenceLength * (shape.logitsWidth ?? 0) * floats +
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
 * Token positions × residual width per batch. Beyond it matrix products are already large enough that bigger
 * batches buy no speed, only memory, and past it they lose speed: their working tensors no longer stay in
 * cache. 2^20 is 4,096 tokens at gutenberg-gpt2-small's 256 units (where 4,096 was measured best) and 1,365 at
 * GPT-2 small's 768, where batches of 3,800 tokens ran about a fifth slower per token than batches of 800–1,000
 * (docs/performance.md).
 */
const ACTIVATIONS_PER_BATCH = 1 << 20;

/**
 * Bytes of keys and values (past + new tokens, over the rows and blocks) per batch: every row carries its
 * sequence's keys and values, so bands on long pasts would otherwise fill memory. Measured on
 * gutenberg-gpt2-small at 150 words as 8,192 key positions (128 MiB there): capping halves the peak memory, and
 * it ran about 8 % faster than 16,384 or 32,768 (less padding, a smaller working set), with no gain from going
 * lower. In bytes, so that a model with 4.5 times the keys per position (GPT-2 small) gets 4.5 times fewer.
 */
const KEY_VALUE_BYTES_PER_BATCH = 128 * 1024 ** 2;

/** Bytes of keys and values one token position holds over all blocks. */
function keyValueBytesPerPosition(layout: PastLayout): number {
  return layout.blocks * 2 * layout.kvHeads * layout.headDim * 4;
}

/**
 * Every row is padded to a canonical shape that depends on the row alone: its new tokens up to a multiple of
 * INPUT_STEP, its past up to a multiple of PAST_STEP (both clipped to the model's context), and a batch only holds
 * rows of one shape. ONNX Runtime gives a row the same bits whatever else is in its batch as long as the row's own
 * padded shape is the same (its reductions run over the same lengths; test/engine/engines.test.ts checks it to the
 * bit), so what a row computes never depends on the batch size, the machine's free
 * memory, which sequences share a run, or how a run was split into shards or restarted (docs/sharding.md). The
 * steps keep padding small: on 60 Brown sequences of 40 words under gutenberg-gpt2-small, 2 % more token
 * positions and 12 % fewer attention products than sorting rows into batches by length did.
 */
const INPUT_STEP = 4;
const PAST_STEP = 32;

/** A batch: rows of one canonical shape, and that shape (new tokens and past, padding included). */
export interface PlannedBatch {
  rows: PassRow[];
  sequenceLength: number;
  pastLength: number;
}

/** The canonical padded shape of a row (a function of the row and the model's context only). */
export function canonicalShape(row: Pick<PassRow, 'inputIds' | 'pastLength'>, contextLength: number): { sequenceLength: number; pastLength: number } {
  const up = (value: number, step: number) => Math.ceil(value / step) * step;
  const length = row.inputIds.length;
  const sequenceLength = Math.max(length, Math.min(up(Math.max(1, length), INPUT_STEP), contextLength - row.pastLength));
  const pastLength = Math.max(row.pastLength, Math.min(up(row.pastLength, PAST_STEP), contextLength - sequenceLength));
  return { sequenceLength, pastLength };
}

/**
 * Groups rows into batches of one canonical shape each, as many rows per batch as the budget and the caps allow
 * (at least one). Shapes are taken in order of past, then new tokens; rows keep their order within a shape.
 * The model's row layout (rowLayout) may ask for every row alone in its batch at its own length, unpadded (a model
 * that mixes positions).
 */
export function planBatches(rows: readonly PassRow[], shape: BatchShape, budgetBytes: number, layout: Partial<RowLayout> = {}): PlannedBatch[] {
  if (layout.rowsAlone) return rows.map((row) => ({ rows: [row], sequenceLength: row.inputIds.length, pastLength: row.pastLength }));
  const byShape = new Map<string, PlannedBatch>();
  for (const row of rows) {
    const canonical = canonicalShape(row, shape.contextLength);
    const key = `${canonical.pastLength}:${canonical.sequenceLength}`;
    let group = byShape.get(key);
    if (!group) byShape.set(key, (group = { rows: [], ...canonical }));
    group.rows.push(row);
  }
  const batches: PlannedBatch[] = [];
  const shapes = [...byShape.values()].sort((x, y) => x.pastLength - y.pastLength || x.sequenceLength - y.sequenceLength);
  for (const { rows: same, sequenceLength, pastLength } of shapes) {
    let size = 1;
    while (
      size < same.length &&
      estimateBatchBytes(shape, size + 1, sequenceLength, pastLength) <= budgetBytes &&
      (size + 1) * sequenceLength * shape.width <= ACTIVATIONS_PER_BATCH &&
      (size + 1) * (pastLength + sequenceLength) * keyValueBytesPerPosition(shape) <= KEY_VALUE_BYTES_PER_BATCH
    ) size++;
    for (let first = 0; first < same.length; first += size) batches.push({ rows: same.slice(first, first + size), sequenceLength, pastLength });
  }
  return batches;
}

/**
 * How rows must be laid out in batches for a model whose stacked, masked pasts are not exact (model.inexactPast;
 * docs/models.md, "The exact path"): rowsAlone, every row alone in its batch and unpadded, for ops that mix positions
 * and rows (one dynamic quantization scale per tensor), since a row's numbers then depend on what shares its batch
 * and on its padding. (GroupQueryAttention and sliding windows need no layout: they run truncated full passes, see
 * effectiveEngine.) Other models keep the usual layout, as the bit-reproducibility tests pin it.
 */
export interface RowLayout {
  rowsAlone: boolean;
}

export function rowLayout(model: Pick<LanguageModel, 'inexactPast'>): RowLayout {
  return { rowsAlone: (model.inexactPast ?? []).some((reason) => reason.kind === 'position-mixing') };
}
