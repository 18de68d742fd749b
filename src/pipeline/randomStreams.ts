import { createRandom, type RandomSource } from '../util/index.js';

/**
 * A run's seeded random streams, one per use, all derived from --seed: separate streams mean that turning on a
 * bootstrap does not move the held-out split or the grouping of sequences, and the same seed always gives the
 * same numbers.
 */
const STREAM = {
  comparison: 0x5eed0001,
  windowBootstrap: 0x5eed0002,
  yokingBootstrap: 0x5eed0003,
  sequenceGroups: 0x5eed0004,
  futureBootstrap: 0x5eed0005,
} as const;

export type RandomStream = keyof typeof STREAM;

export function randomStream(seed: number, stream: RandomStream): RandomSource {
  return createRandom(streamSeed(seed, stream));
}

/** The seed of a stream, for uses that derive streams of their own from it (each bootstrap replicate). */
export function streamSeed(seed: number, stream: RandomStream): number {
  return (seed ^ STREAM[stream]) >>> 0;
}
