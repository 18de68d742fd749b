import type { ForwardInput } from '../model/index.js';
import type { PassRow } from './passRows.js';
import type { PastStacker, SequencePast } from './sequencePast.js';

/**
 * Lays rows out as one forward input (padded to `padTo`, the batch's canonical shape, when given): tokens right-padded, attention mask over [past | new tokens] with
 * each row's unused past positions and padding masked, and explicit position ids, so every row computes
 * exactly what it would alone.
 */
export function buildForwardInput(
  rows: readonly PassRow[],
  pastOf: (sequenceIndex: number) => SequencePast | undefined,
  stacker: PastStacker,
  withPositionIds: boolean,
  padTo?: { sequenceLength: number; pastLength: number },
): ForwardInput {
  const batchSize = rows.length;
  const sequenceLength = Math.max(padTo?.sequenceLength ?? 0, ...rows.map((r) => r.inputIds.length));
  const pastLength = Math.max(padTo?.pastLength ?? 0, ...rows.map((r) => r.pastLength));
  const total = pastLength + sequenceLength;
  const inputIds = new BigInt64Array(batchSize * sequenceLength);
  const attentionMask = new BigInt64Array(batchSize * total);
  const positionIds = new BigInt64Array(batchSize * sequenceLength);
  rows.forEach((row, r) => {
    for (let p = 0; p < row.pastLength; p++) attentionMask[r * total + p] = 1n;
    row.inputIds.forEach((id, i) => {
      inputIds[r * sequenceLength + i] = BigInt(id);
      attentionMask[r * total + pastLength + i] = 1n;
      positionIds[r * sequenceLength + i] = BigInt(row.pastLength + i);
    });
  });
  const input: ForwardInput = { batchSize, sequenceLength, inputIds, attentionMask };
  if (withPositionIds) input.positionIds = positionIds;
  if (pastLength > 0) {
    const pasts = rows.map((row) => {
      const past = pastOf(row.sequenceIndex);
      if (!past) throw new Error(`no past kept for sequence ${row.sequenceIndex}`);
      return past;
    });
    input.past = stacker.stack(pasts, rows.map((r) => r.pastLength), pastLength);
  }
  return input;
}
