import { describe, expect, it } from 'vitest';
import { groupByLength, padBatch, positionsFromMask } from '../../src/model/index.js';

describe('batching', () => {
  it('pads on the right and masks the padding', () => {
    const batch = padBatch([[5, 6, 7], [8]], true);
    expect(batch.sequenceLength).toBe(3);
    expect(Array.from(batch.inputIds, Number)).toEqual([5, 6, 7, 8, 0, 0]);
    expect(Array.from(batch.attentionMask, Number)).toEqual([1, 1, 1, 1, 0, 0]);
    expect(Array.from(batch.positionIds!, Number)).toEqual([0, 1, 2, 0, 0, 0]);
    expect(padBatch([[5]], false).positionIds).toBeUndefined();
  });

  it('positions are cumsum(mask) − 1 over past and new tokens (holes in the past skipped)', () => {
    // Row 0: past [1 1 0 0], new [1 1] → positions 2, 3. Row 1: past [1 1 1 1], new [1 0] → 4, then padding 0.
    const mask = BigInt64Array.from([1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0].map(BigInt));
    expect(Array.from(positionsFromMask(mask, 2, 6, 2), Number)).toEqual([2, 3, 4, 0]);
  });

  it('groups sequences longest first within a token budget', () => {
    expect(groupByLength([3, 10, 4, 9], 20)).toEqual([[1, 3], [2, 0]]);
    expect(groupByLength([5, 5, 5], 100, 2)).toEqual([[0, 1], [2]]);
  });
});
