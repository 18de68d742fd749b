import { describe, expect, it } from 'vitest';
import { parseShard, resolveShard, shardFromEnvironment, shardShare } from '../../src/shard/shardSpec.js';

describe('--shard K/N and --shard auto', () => {
  it('parses K/N (1-based) and refuses shards that do not exist', () => {
    expect(parseShard('2/3')).toMatchObject({ index: 2, count: 3 });
    expect(() => parseShard('0/3')).toThrow(/shard 0 of 3 does not exist; shards are numbered 1 to 3/);
    expect(() => parseShard('4/3')).toThrow(/shard 4 of 3 does not exist/);
    expect(() => parseShard('two')).toThrow(/must be K\/N/);
    expect(() => resolveShard('2/3', 4)).toThrow(/--shards 4 disagrees with --shard 2\/3/);
  });

  it('maps a Slurm array task to its shard: K = ID − MIN + 1 of COUNT (or MAX − MIN + 1), steps included', () => {
    expect(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '3', SLURM_ARRAY_TASK_COUNT: '3' }))
      .toMatchObject({ index: 1, count: 3 });
    expect(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_MIN: '4', SLURM_ARRAY_TASK_MAX: '6' })).toMatchObject({ index: 2, count: 3 });
    expect(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '9', SLURM_ARRAY_TASK_COUNT: '10' }))
      .toMatchObject({ index: 1, count: 10 });
    expect(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '8', SLURM_ARRAY_TASK_STEP: '2' }))
      .toMatchObject({ index: 3, count: 5 });
    expect(() => shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '4' })).toThrow(/neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX/);
  });

  it('maps Kubernetes Indexed Jobs (count from --shards or IW_SHARDS), AWS Batch and Google Batch', () => {
    expect(shardFromEnvironment({ JOB_COMPLETION_INDEX: '0' }, 3)).toMatchObject({ index: 1, count: 3 });
    expect(shardFromEnvironment({ JOB_COMPLETION_INDEX: '2', IW_SHARDS: '3' })).toMatchObject({ index: 3, count: 3 });
    expect(() => shardFromEnvironment({ JOB_COMPLETION_INDEX: '2' })).toThrow(/--shards N or set IW_SHARDS/);
    expect(() => shardFromEnvironment({ JOB_COMPLETION_INDEX: '3', IW_SHARDS: '3' })).toThrow(/shard 4 of 3 does not exist/);
    expect(shardFromEnvironment({ AWS_BATCH_JOB_ARRAY_INDEX: '1', AWS_BATCH_JOB_ARRAY_SIZE: '4' })).toMatchObject({ index: 2, count: 4 });
    expect(shardFromEnvironment({ AWS_BATCH_JOB_ARRAY_INDEX: '1' }, 2)).toMatchObject({ index: 2, count: 2 });
    expect(shardFromEnvironment({ BATCH_TASK_INDEX: '3', BATCH_TASK_COUNT: '5' })).toMatchObject({ index: 4, count: 5 });
    expect(() => shardFromEnvironment({})).toThrow(/no scheduler variables.*SLURM_ARRAY_TASK_ID.*JOB_COMPLETION_INDEX.*AWS_BATCH_JOB_ARRAY_INDEX.*BATCH_TASK_INDEX/);
    // only with --shard auto: K/N given explicitly ignores the scheduler
    expect(resolveShard('1/2', undefined, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '3' })).toMatchObject({ index: 1, count: 2 });
    expect(resolveShard('auto', undefined, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '3' })).toMatchObject({ index: 3, count: 3 });
  });

  it('splits the sequences into contiguous ranges that cover each sequence once, within one of each other, the same everywhere', () => {
    for (const sequences of [1, 5, 24, 60, 1000]) {
      for (const count of [1, 2, 3, 7, 100]) {
        const shares = Array.from({ length: count }, (_, i) => shardShare(sequences, { index: i + 1, count }));
        let next = 0;
        for (const share of shares) {
          expect(share.from).toBe(next);
          next = share.to;
        }
        expect(next).toBe(sequences);
        const sizes = shares.map((share) => share.to - share.from);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
    expect(shardShare(60, { index: 2, count: 3 })).toEqual({ from: 20, to: 40 });
    expect(shardShare(24, { index: 3, count: 3 })).toEqual({ from: 16, to: 24 });
  });
});
