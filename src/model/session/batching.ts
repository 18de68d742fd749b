import type { ForwardInput } from '../types.js';

/** The id padding positions hold (masked out: no real token sees it). */
export const PAD_ID = 0;

/**
 * Many token sequences as few forward passes: rows padded on the right (so real tokens keep positions
 * 0..n−1 even in models that count positions themselves), an attention mask that hides the padding, and
 * position ids cumsum(mask) − 1 for models that take them. Padding changes nothing a real token sees.
 */
export function padBatch(rows: readonly (readonly number[])[], withPositionIds: boolean): ForwardInput {
  const batchSize = rows.length;
  const sequenceLength = Math.max(1, ...rows.map((r) => r.length));
  const inputIds = new BigInt64Array(batchSize * sequenceLength).fill(BigInt(PAD_ID));
  const attentionMask = new BigInt64Array(batchSize * sequenceLength);
  const positionIds = new BigInt64Array(batchSize * sequenceLength);
  rows.forEach((row, r) => {
    row.forEach((id, i) => {
      inputIds[r * sequenceLength + i] = BigInt(id);
      attentionMask[r * sequenceLength + i] = 1n;
      positionIds[r * sequenceLength + i] = BigInt(i);
    });
  });
  const input: ForwardInput = { batchSize, sequenceLength, inputIds, attentionMask };
  if (withPositionIds) input.positionIds = positionIds;
  return input;
}

/**
 * Groups sequence indices into batches of similar length (longest first, so padding stays small), each
 * holding at most `tokenBudget` padded tokens and `maxRows` rows.
 */
export function groupByLength(lengths: readonly number[], tokenBudget: number, maxRows = 64): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[b] - lengths[a] || a - b);
  const batches: number[][] = [];
  let current: number[] = [];
  for (const index of order) {
    const longest = current.length > 0 ? lengths[current[0]] : lengths[index];
    if (current.length > 0 && ((current.length + 1) * longest > tokenBudget || current.length >= maxRows)) {
      batches.push(current);
      current = [];
    }
    current.push(index);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
