import type { EngineKind } from '../src/engine/index.js';
import type { CaseResult } from './benchCase.js';
import type { StimuliSize } from './benchPlan.js';
import type { TokenPositions } from './tokenPositions.js';

/** One engine's figures over all parts of a comparison. */
export interface EngineTotals {
  /** The engine that ran (fast becomes truncated on a model without past inputs). */
  engineUsed: EngineKind;
  seconds: number;
  forwardSeconds: number;
  forwardPasses: number;
  batches: number;
  tokensComputed: number;
  tokensWithPadding: number;
  tokensPerSecond: number;
  swapsPerSecond: number;
  /** Largest peak resident set of the engine's child processes (each holds one part). */
  maxRss: number;
}

export interface ComparisonSummary extends StimuliSize {
  swaps: number;
  naive: EngineTotals;
  fast: EngineTotals;
  /** Token positions counted from the stimuli's tokenization (not from the engines). */
  theoretical: TokenPositions;
  /** Whether both engines computed exactly the counted token positions. */
  countsAgree: boolean;
  ratios: {
    /** The engines compared, e.g. "naive/fast" ("naive/truncated" on a model without past inputs). */
    engines: string;
    /** naive seconds / fast seconds over all parts, and per part (each part's pair ran back to back). */
    time: number;
    timeByPart: number[];
    forwardTime: number;
    /** naive / fast token positions: what the time ratio would be if every position cost the same. */
    tokens: number;
    /** The same with batch padding counted. */
    paddedTokens: number;
  };
  /** Measured time ratio as a share of the token ratio. */
  shareOfTokenRatio: number;
}

/** Sums a comparison's cases (its parts × both engines) into per-engine totals and naive/fast ratios. */
export function summariseComparison(size: StimuliSize, cases: readonly CaseResult[], theoretical: TokenPositions, partPositions: readonly TokenPositions[]): ComparisonSummary {
  const naiveCases = cases.filter((c) => c.spec.engine === 'naive');
  const fastCases = cases.filter((c) => c.spec.engine === 'fast');
  const naive = engineTotals(naiveCases);
  const fast = engineTotals(fastCases);
  const timeByPart = naiveCases.map((c, part) => c.statistics.seconds / fastCases[part].statistics.seconds);
  // On a model without past inputs the fast engine runs truncated passes, whose count is another.
  const counted = (p: TokenPositions) => (fast.engineUsed === 'truncated' ? p.truncated : p.fast);
  const countsAgree = partPositions.every((p, part) =>
    naiveCases[part].statistics.tokensComputed === p.naive && fastCases[part].statistics.tokensComputed === counted(p));
  const time = naive.seconds / fast.seconds;
  const tokens = theoretical.naive / counted(theoretical);
  return {
    ...size,
    swaps: theoretical.swaps,
    naive,
    fast,
    theoretical,
    countsAgree,
    ratios: {
      engines: `naive/${fast.engineUsed}`, time, timeByPart, forwardTime: naive.forwardSeconds / fast.forwardSeconds,
      tokens, paddedTokens: naive.tokensWithPadding / fast.tokensWithPadding,
    },
    shareOfTokenRatio: time / tokens,
  };
}

export function engineTotals(cases: readonly CaseResult[]): EngineTotals {
  const sum = (pick: (c: CaseResult) => number) => cases.reduce((total, c) => total + pick(c), 0);
  const seconds = sum((c) => c.statistics.seconds);
  const tokensComputed = sum((c) => c.statistics.tokensComputed);
  return {
    engineUsed: cases[0].statistics.engine,
    seconds,
    forwardSeconds: sum((c) => c.forwardSeconds),
    forwardPasses: sum((c) => c.statistics.forwardPasses),
    batches: sum((c) => c.statistics.batches),
    tokensComputed,
    tokensWithPadding: sum((c) => c.statistics.tokensWithPadding),
    tokensPerSecond: tokensComputed / seconds,
    swapsPerSecond: sum((c) => c.swaps) / seconds,
    maxRss: Math.max(...cases.map((c) => c.memory.maxRss)),
  };
}

/** A memory case's figures: what the run added on top of the loaded model. */
export interface MemoryRow extends StimuliSize {
  rssBeforeRun: number;
  maxRss: number;
  /** maxRss − rssBeforeRun: what the run added to the resident set at its peak. */
  rssGrowth: number;
  /** Sampled peak of heap + external during the run, less its value before. */
  heapAndExternalGrowth: number;
  keptBytes: number;
  pastBytes: number;
}

export function memoryRow(result: CaseResult, size: StimuliSize): MemoryRow {
  const m = result.memory;
  return {
    ...size,
    rssBeforeRun: m.rssBeforeRun,
    maxRss: m.maxRss,
    rssGrowth: m.maxRss - m.rssBeforeRun,
    heapAndExternalGrowth: m.heapAndExternalPeak - m.heapAndExternalBeforeRun,
    keptBytes: m.keptBytes,
    pastBytes: m.pastBytes,
  };
}

/**
 * Two memory cases that differ in one size: how much each measure grew, against the growth of what is
 * linear by construction (the accumulator's bands and the kept pasts).
 */
export interface MemoryStep {
  varied: 'sequences' | 'words';
  from: StimuliSize;
  to: StimuliSize;
  sizeFactor: number;
  rssGrowthIncrease: number;
  heapAndExternalIncrease: number;
  linearPartIncrease: number;
  /** (kept + past) of `to` / of `from`: the factor a linear part grows by. */
  linearPartFactor: number;
}

/** Steps between every pair of memory rows that share one size and differ in the other. */
export function memorySteps(rows: readonly MemoryRow[]): MemoryStep[] {
  const steps: MemoryStep[] = [];
  for (const from of rows) {
    for (const to of rows) {
      const varied = from.words === to.words && to.sequences > from.sequences ? 'sequences'
        : from.sequences === to.sequences && to.words > from.words ? 'words' : undefined;
      if (!varied) continue;
      const linear = (row: MemoryRow) => row.keptBytes + row.pastBytes;
      steps.push({
        varied,
        from: { words: from.words, sequences: from.sequences },
        to: { words: to.words, sequences: to.sequences },
        sizeFactor: varied === 'sequences' ? to.sequences / from.sequences : to.words / from.words,
        rssGrowthIncrease: to.rssGrowth - from.rssGrowth,
        heapAndExternalIncrease: to.heapAndExternalGrowth - from.heapAndExternalGrowth,
        linearPartIncrease: linear(to) - linear(from),
        linearPartFactor: linear(to) / linear(from),
      });
    }
  }
  return steps;
}
