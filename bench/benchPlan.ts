import type { EngineKind } from '../src/engine/index.js';

/** S sequences of N words. */
export interface StimuliSize {
  words: number;
  sequences: number;
}

/**
 * What a bench run measures:
 * comparisons — naive against fast on the same stimuli, split into `parts` run in alternating order;
 * memory — the fast engine alone on whole stimuli, in pairs that double one size and keep the other;
 * estimateJob — the fast engine on an `iw estimate`-sized job (the paper's demo shape).
 */
export interface BenchPlan {
  maxLag: number;
  parts: number;
  comparisons: StimuliSize[];
  memory: StimuliSize[];
  estimateJob: StimuliSize;
}

/**
 * Defaults sized for a few minutes on a 2-core machine (the naive engine at 150 words takes most of it);
 * --quick shrinks every size for a smoke run of one to two minutes.
 */
export function benchPlan(quick: boolean, parts: number): BenchPlan {
  if (quick) {
    return {
      maxLag: 20, parts,
      comparisons: [{ words: 150, sequences: 2 }, { words: 40, sequences: 4 }],
      memory: [{ words: 150, sequences: 1 }, { words: 150, sequences: 2 }, { words: 75, sequences: 1 }],
      estimateJob: { words: 40, sequences: 10 },
    };
  }
  return {
    maxLag: 20, parts,
    comparisons: [{ words: 150, sequences: 8 }, { words: 40, sequences: 20 }],
    memory: [{ words: 150, sequences: 3 }, { words: 150, sequences: 6 }, { words: 75, sequences: 3 }],
    estimateJob: { words: 40, sequences: 60 },
  };
}

/** Sequences per word count the plan needs: every case takes the first S of one set built per N. */
export function sequencesNeeded(plan: BenchPlan): Map<number, number> {
  const needed = new Map<number, number>();
  for (const size of [...plan.comparisons, ...plan.memory, plan.estimateJob]) {
    needed.set(size.words, Math.max(needed.get(size.words) ?? 0, size.sequences));
  }
  return needed;
}

/** [start, end) ranges cutting `count` sequences into `parts` nearly equal consecutive parts (none empty). */
export function splitIntoParts(count: number, parts: number): Array<[number, number]> {
  const used = Math.max(1, Math.min(parts, count));
  return Array.from({ length: used }, (_, p) => [Math.floor((p * count) / used), Math.floor(((p + 1) * count) / used)]);
}

/**
 * Engine order within part p: naive first in even parts, fast first in odd ones (ABBA), so that a load
 * that rises or falls during a comparison weighs on both engines alike.
 */
export function engineOrder(part: number): [EngineKind, EngineKind] {
  return part % 2 === 0 ? ['naive', 'fast'] : ['fast', 'naive'];
}
