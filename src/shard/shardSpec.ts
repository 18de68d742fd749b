import { UserError } from '../util/index.js';

/** Shard K of N (1-based, as `node --test-shard` and Jest write it). */
export interface Shard {
  index: number;
  count: number;
  /** Where K and N came from, for messages: "--shard 2/3", "SLURM_ARRAY_TASK_ID=5 (array 4-6)", … */
  source: string;
}

/** Parses "K/N". */
export function parseShard(text: string, source = `--shard ${text}`): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) throw new UserError(`--shard must be K/N (shard K of N, 1-based, e.g. 2/3) or auto (got "${text}")`);
  return checked(Number(match[1]), Number(match[2]), source);
}

function checked(index: number, count: number, source: string): Shard {
  if (!(Number.isInteger(count) && count >= 1)) throw new UserError(`${source}: the shard count must be a whole number ≥ 1 (got ${count})`);
  if (!(Number.isInteger(index) && index >= 1 && index <= count)) {
    throw new UserError(`${source}: shard ${index} of ${count} does not exist; shards are numbered 1 to ${count}`);
  }
  return { index, count, source };
}

type Environment = Record<string, string | undefined>;

/** The scheduler variables `--shard auto` reads, in the order they are tried. */
export const SCHEDULER_VARIABLES = [
  'SLURM_ARRAY_TASK_ID (with SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT or _MAX)',
  'JOB_COMPLETION_INDEX (Kubernetes Indexed Job, with --shards or IW_SHARDS)',
  'AWS_BATCH_JOB_ARRAY_INDEX (with AWS_BATCH_JOB_ARRAY_SIZE, --shards or IW_SHARDS)',
  'BATCH_TASK_INDEX (Google Batch, with BATCH_TASK_COUNT)',
];

/**
 * Which shard this task is, from the variables its scheduler sets (`--shard auto`):
 * - Slurm array job: K = SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN + 1 (divided by SLURM_ARRAY_TASK_STEP when
 *   the array has a step), N = SLURM_ARRAY_TASK_COUNT, else (MAX − MIN) / STEP + 1;
 * - Kubernetes Indexed Job: K = JOB_COMPLETION_INDEX + 1, N = --shards or IW_SHARDS (Kubernetes does not
 *   export the completion count);
 * - AWS Batch array job: K = AWS_BATCH_JOB_ARRAY_INDEX + 1, N = AWS_BATCH_JOB_ARRAY_SIZE, --shards or IW_SHARDS;
 * - Google Batch: K = BATCH_TASK_INDEX + 1, N = BATCH_TASK_COUNT.
 * `shards` (the --shards flag) overrides any count.
 */
export function shardFromEnvironment(env: Environment, shards?: number): Shard {
  const integer = (name: string): number | undefined => {
    const text = env[name];
    if (text === undefined || text.trim() === '') return undefined;
    const value = Number(text);
    if (!Number.isInteger(value)) throw new UserError(`--shard auto: ${name}=${text} is not a whole number`);
    return value;
  };
  const countFrom = (name: string, fromScheduler: number | undefined, what: string): number => {
    const count = shards ?? integer('IW_SHARDS') ?? fromScheduler;
    if (count === undefined) throw new UserError(`--shard auto: ${name} is set but not the number of shards: ${what}`);
    return count;
  };

  const slurmId = integer('SLURM_ARRAY_TASK_ID');
  if (slurmId !== undefined) {
    const min = integer('SLURM_ARRAY_TASK_MIN') ?? 0;
    const step = integer('SLURM_ARRAY_TASK_STEP') ?? 1;
    const max = integer('SLURM_ARRAY_TASK_MAX');
    const fromSlurm = integer('SLURM_ARRAY_TASK_COUNT') ?? (max !== undefined ? Math.floor((max - min) / step) + 1 : undefined);
    const count = shards ?? fromSlurm;
    if (count === undefined) throw new UserError('--shard auto: SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX; give --shards N');
    const source = `SLURM_ARRAY_TASK_ID=${slurmId} (array ${min}-${max ?? '?'}${step !== 1 ? `:${step}` : ''})`;
    if ((slurmId - min) % step !== 0) throw new UserError(`--shard auto: ${source} is not on the array's step`);
    return checked((slurmId - min) / step + 1, count, `--shard auto: ${source}`);
  }
  const kubernetes = integer('JOB_COMPLETION_INDEX');
  if (kubernetes !== undefined) {
    const count = countFrom('JOB_COMPLETION_INDEX', undefined, 'give --shards N or set IW_SHARDS to the Job\'s completions');
    return checked(kubernetes + 1, count, `--shard auto: JOB_COMPLETION_INDEX=${kubernetes}`);
  }
  const aws = integer('AWS_BATCH_JOB_ARRAY_INDEX');
  if (aws !== undefined) {
    const count = countFrom('AWS_BATCH_JOB_ARRAY_INDEX', integer('AWS_BATCH_JOB_ARRAY_SIZE'), 'give --shards N or set IW_SHARDS to the array size');
    return checked(aws + 1, count, `--shard auto: AWS_BATCH_JOB_ARRAY_INDEX=${aws}`);
  }
  const google = integer('BATCH_TASK_INDEX');
  if (google !== undefined) {
    const count = countFrom('BATCH_TASK_INDEX', integer('BATCH_TASK_COUNT'), 'BATCH_TASK_COUNT is missing; give --shards N');
    return checked(google + 1, count, `--shard auto: BATCH_TASK_INDEX=${google}`);
  }
  throw new UserError(`--shard auto: this task has no scheduler variables saying which shard it is (looked for ${SCHEDULER_VARIABLES.join('; ')}); give --shard K/N instead`);
}

/** The shard an option value names: "K/N", or "auto" (read from the scheduler's variables). */
export function resolveShard(value: string, shards: number | undefined, env: Environment = process.env): Shard {
  if (value.trim() === 'auto') return shardFromEnvironment(env, shards);
  const shard = parseShard(value);
  if (shards !== undefined && shards !== shard.count) throw new UserError(`--shards ${shards} disagrees with --shard ${value}`);
  return shard;
}

/** What a shard measures: sequences [from, to) (0-based, `to` exclusive). */
export interface ShardShare {
  from: number;
  to: number;
}

/**
 * Shard K of N's share of S sequences: ⌊(K−1)·S/N⌋ .. ⌊K·S/N⌋ − 1, so every machine splits alike, shards differ by
 * at most one sequence, and together they cover every sequence once. With more shards than sequences some shards
 * are empty. (Any split gives the same numbers: a row's result does not depend on its batch mates.)
 */
export function shardShare(sequenceCount: number, shard: Pick<Shard, 'index' | 'count'>): ShardShare {
  return {
    from: Math.floor(((shard.index - 1) * sequenceCount) / shard.count),
    to: Math.floor((shard.index * sequenceCount) / shard.count),
  };
}
