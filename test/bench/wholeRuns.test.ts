import { describe, expect, it } from 'vitest';
import { formatWholeRuns, otherSeconds } from '../../bench/formatWholeRuns.js';
import { largestWindowDifference, type PytorchResult } from '../../bench/pytorchReference.js';
import type { WholeRunRow } from '../../bench/runWholeRuns.js';
import { wholeRunPlan } from '../../bench/wholeRunPlan.js';

const stageSeconds = { openModel: 2, stimuli: 0.5, forward: 20, differences: 1, fits: 4, bootstrap: 0, report: 0.5 };

function row(engine: 'fast' | 'naive', wallSeconds: number, extra: Partial<WholeRunRow> = {}, hugePages = true): WholeRunRow {
  return {
    case: { modelLabel: 'm', model: '/models/m', engine, pytorch: false, hugePages, words: 150, sequences: 12 },
    iw: { spec: { label: 'm', model: '/models/m', stimuliPath: 's.json', engine }, wallSeconds, stageSeconds, maxRssKiB: 1000, cpuSeconds: wallSeconds * 1.5, minorPageFaults: wallSeconds * 10_000, forwardPasses: 5, hugePages, windows: [] },
    loadAverage: { before: 1, after: 1 },
    ...extra,
  };
}

describe('whole-run bench', () => {
  it('plans default and naive on the bench model, and the GPT-2-shape cases only with its folder, saying how to build it', () => {
    const without = wholeRunPlan(false, { bench: '/shared/models/gutenberg-gpt2-small/' });
    expect(without.cases.map((c) => [c.modelLabel, c.engine, c.sequences, c.words])).toEqual([
      ['gutenberg-gpt2-small', 'fast', 12, 150], ['gutenberg-gpt2-small', 'naive', 12, 150],
    ]);
    expect(without.skipped.join(' ')).toMatch(/make\.sh DIR.*--gpt2-shape DIR.*IW_BENCH_GPT2_SHAPE/);
    const withShape = wholeRunPlan(false, { bench: '/m', gpt2Shape: '/shape' });
    expect(withShape.cases.filter((c) => c.pytorch).map((c) => [c.model, c.sequences, c.words])).toEqual([['/shape', 20, 40], ['/shape', 2, 150]]);
    expect(withShape.skipped).toEqual([]);
    expect(withShape.cases.every((c) => c.hugePages)).toBe(true);
    const sideBySide = wholeRunPlan(false, { bench: '/m', gpt2Shape: '/shape' }, true);
    expect(sideBySide.cases.map((c) => [c.model, c.engine, c.sequences, c.words, c.hugePages, c.pytorch])).toEqual([
      ['/m', 'fast', 12, 150, true, false], ['/m', 'naive', 12, 150, true, false], ['/m', 'fast', 12, 150, false, false],
      ['/shape', 'fast', 20, 40, true, true], ['/shape', 'fast', 20, 40, false, false], ['/shape', 'fast', 2, 150, true, true],
    ]);
  });

  it('plans --readout output against the same run without at 12 × 40, twice in both orders, and reports the ratio and the cost beyond the logits\' own', () => {
    const plan = wholeRunPlan(false, { bench: '/m', gpt2Shape: '/shape' }, true, true);
    expect(plan.cases.map((c) => [c.model, c.sequences, c.words, c.readout ?? false, c.hugePages])).toEqual([
      ['/m', 12, 40, false, true], ['/m', 12, 40, true, true], ['/m', 12, 40, true, true], ['/m', 12, 40, false, true],
      ['/shape', 12, 40, false, true], ['/shape', 12, 40, true, true], ['/shape', 12, 40, true, true], ['/shape', 12, 40, false, true],
    ]);
    const readout = (wallSeconds: number, forward: number): WholeRunRow => {
      const base = row('fast', wallSeconds);
      return { ...base, case: { ...base.case, readout: true }, iw: { ...base.iw, stageSeconds: { ...stageSeconds, forward, differences: 1.5 } } };
    };
    expect(plan.logitsCosts?.map((c) => [c.model, c.sequences, c.words])).toEqual([['/m', 12, 40], ['/shape', 12, 40]]);
    // without: 30 s (forward 20); with: 34 s (forward 23): +4 s
    const rows = [row('fast', 30), readout(34, 23), readout(34, 23), row('fast', 30)];
    const text = formatWholeRuns({ rows, skipped: [], threads: 2, microsecondsPerFault: 15 });
    expect(text).toContain('m 12 × 150 fast: --readout output 34.0 s against 30.0 s without (1.13×, +4.00 s; means of 2 and 2 runs); forward +3.00 s, differences +0.50 s; CPU seconds 51.0 against 45.0 (1.13×');
    expect(text).toContain('m 12 × 150: the logits\' own forward cost was not timed; beyond the forward stage\'s increase +1.00 s = 3.3 % of the run without (allowed: 10 %)');
    expect(text).toMatch(/fast \+readout/);
    // Forward passes alone: 18 s without logits, 22.5 s with every token's (+4.5 s), 20.5 s with the read words' (+2.5 s).
    const cost = { modelLabel: 'm', model: '/models/m', words: 150, sequences: 12, result: { spec: { label: 'm', model: '/models/m', stimuliPath: 's' }, forwardSeconds: { none: 18, everyToken: 22.5, readWords: 20.5 } } };
    const timed = formatWholeRuns({ rows, skipped: [], threads: 2, microsecondsPerFault: 15, logitsCosts: [cost] });
    expect(timed).toContain('m 12 × 150: the logits\' own forward cost (forward passes alone, 18.0 s without logits): every token\'s +4.50 s, the read words\' alone +2.50 s. The read-out adds beyond every token\'s logits -0.50 s = -1.7 % of the run without (allowed: 10 %); beyond the read words\' +1.50 s = 5.0 % of the run without');
  });

  it('sets each run without huge pages beside the same run with them, and takes the naive ratio between runs with them', () => {
    const text = formatWholeRuns({ rows: [row('fast', 30), row('naive', 150), row('fast', 40, {}, false)], skipped: [], threads: 2, microsecondsPerFault: 15 });
    expect(text).toMatch(/engine\s+huge pages\s+seconds/);
    // 30 s and 300,000 faults with them, 40 s and 400,000 without
    expect(text).toContain('m 12 × 150 fast: huge pages 30.0 s against 40.0 s without (1.33×), 300000 page faults against 400000');
    expect(text).toContain('whole run is 5.00× faster than --engine naive');
  });

  it('prints every stage, the rest of the wall time, page faults in seconds, and the default/naive ratio of whole runs', () => {
    const fast = row('fast', 30);
    expect(otherSeconds(fast)).toBeCloseTo(2, 12);
    const text = formatWholeRuns({ rows: [fast, row('naive', 150)], skipped: ['GPT-2-shape cases skipped: ...'], threads: 2, microsecondsPerFault: 15 });
    expect(text).toMatch(/open model\s+stimuli\s+forward\s+differences\s+fits\s+bootstrap\s+report\s+other\s+CPU s\s+page faults\s+peak RSS KiB/);
    // 300,000 faults at 15 µs and 1,500,000 at 15 µs
    expect(text).toContain('15.0 µs each for 4 KiB on this machine: m 12 × 150 fast 4.5 s; m 12 × 150 naive 22.5 s.');
    expect(text).toContain('whole run is 5.00× faster than --engine naive');
    expect(text).toContain('CPU seconds 5.00×');
    expect(text).toContain('GPT-2-shape cases skipped');
  });

  it('compares population windows layer by layer, ignoring layers the reference has none for', () => {
    const reference = { populationWindows: [[1, 0.5], null, [1, 0.2]] } as unknown as PytorchResult;
    const iw = [{ layer: 0, window: [1, 0.5001] }, { layer: 1, window: [1, 0.9] }, { layer: 2, window: [1, 0.25] }];
    expect(largestWindowDifference(iw, reference.populationWindows)).toBeCloseTo(0.05, 12);
  });
});
