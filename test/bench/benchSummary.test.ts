import { describe, expect, it } from 'vitest';
import type { CaseResult } from '../../bench/benchCase.js';
import { memoryRow, memorySteps, summariseComparison } from '../../bench/benchSummary.js';
import type { EngineKind } from '../../src/engine/index.js';

/** A case result with the figures the summary reads; memory in bytes. */
function caseResult(engine: EngineKind, seconds: number, tokens: number, padded: number, maxRss: number, swaps = 10): CaseResult {
  return {
    spec: { label: 'x', engine, stimuliPath: 'x.json', model: 'm', maxLag: 20 },
    statistics: { engine, forwardPasses: swaps + 1, batches: 2, forwardPassesRun: swaps + 1, batchesRun: 2, tokensComputed: tokens, tokensWithPadding: padded, seconds },
    forwardSeconds: seconds * 0.9, modelLoadSeconds: 1, sequences: 1, swaps, threads: 2,
    memory: { rssBeforeRun: 100, maxRss, heapAndExternalBeforeRun: 10, heapAndExternalPeak: 30, keptBytes: 5, pastBytes: 1 },
    loadAverage: { before: [1, 1, 1], after: [1, 1, 1] },
  };
}

describe('comparison summary', () => {
  // Part 1 ran naive then fast, part 2 fast then naive (the order cases arrive in).
  const cases = [
    caseResult('naive', 10, 1000, 1000, 500), caseResult('fast', 2, 150, 200, 700),
    caseResult('fast', 3, 160, 210, 650), caseResult('naive', 12, 1100, 1100, 520),
  ];
  const parts = [{ naive: 1000, fast: 150, truncated: 400, swaps: 10 }, { naive: 1100, fast: 160, truncated: 420, swaps: 10 }];
  const total = { naive: 2100, fast: 310, truncated: 820, swaps: 20 };

  it('sums parts per engine and divides naive by fast', () => {
    const summary = summariseComparison({ words: 150, sequences: 2 }, cases, total, parts);
    expect(summary.ratios.engines).toBe('naive/fast');
    expect(summary.naive).toMatchObject({ seconds: 22, tokensComputed: 2100, tokensPerSecond: 2100 / 22, swapsPerSecond: 20 / 22, maxRss: 520 });
    expect(summary.fast).toMatchObject({ seconds: 5, tokensComputed: 310, tokensWithPadding: 410, maxRss: 700 });
    expect(summary.ratios.time).toBeCloseTo(22 / 5, 12);
    expect(summary.ratios.timeByPart).toEqual([10 / 2, 12 / 3]);
    expect(summary.ratios.tokens).toBeCloseTo(2100 / 310, 12);
    expect(summary.ratios.paddedTokens).toBeCloseTo(2100 / 410, 12);
    expect(summary.shareOfTokenRatio).toBeCloseTo((22 / 5) / (2100 / 310), 12);
    expect(summary.countsAgree).toBe(true);
  });

  it('flags engines whose token counts differ from the stimuli\'s count', () => {
    const wrong = [{ ...parts[0], fast: 151 }, parts[1]];
    expect(summariseComparison({ words: 150, sequences: 2 }, cases, { ...total, fast: 311 }, wrong).countsAgree).toBe(false);
  });

  it('compares with the truncated count when the fast engine fell back to truncated passes', () => {
    const truncatedCases = cases.map((c) => (c.spec.engine === 'fast'
      ? { ...c, statistics: { ...c.statistics, engine: 'truncated' as const, tokensComputed: c === cases[1] ? 400 : 420 } } : c));
    const summary = summariseComparison({ words: 150, sequences: 2 }, truncatedCases, total, parts);
    expect(summary.ratios.engines).toBe('naive/truncated');
    expect(summary.ratios.tokens).toBeCloseTo(2100 / 820, 12);
    expect(summary.countsAgree).toBe(true);
  });
});

describe('memory steps', () => {
  const row = (words: number, sequences: number, maxRss: number, keptBytes: number) => {
    const result = caseResult('fast', 1, 1, 1, maxRss);
    result.memory.keptBytes = keptBytes;
    return memoryRow(result, { words, sequences });
  };

  it('pairs cases that differ in one size only', () => {
    const steps = memorySteps([row(150, 3, 1000, 30), row(150, 6, 1300, 60), row(75, 3, 600, 15)]);
    expect(steps.map((s) => [s.varied, s.from, s.to])).toEqual([
      ['sequences', { words: 150, sequences: 3 }, { words: 150, sequences: 6 }],
      ['words', { words: 75, sequences: 3 }, { words: 150, sequences: 3 }],
    ]);
    // Run growth is maxRss − rssBeforeRun (100): 900 → 1200; kept + past (1) 31 → 61.
    expect(steps[0]).toMatchObject({ sizeFactor: 2, rssGrowthIncrease: 300, linearPartIncrease: 30, linearPartFactor: 61 / 31 });
  });
});
