import type { EngineTotals, ComparisonSummary, MemoryRow, MemoryStep } from './benchSummary.js';
import type { BenchResults } from './runBench.js';
import { describeSize } from './runBench.js';

const MiB = 2 ** 20;

/** The bench's results as text tables: comparisons, memory, the estimate-sized job. */
export function formatBenchTables(results: BenchResults): string {
  const m = results.machine;
  const lines = [
    `iw engine benchmark: ${results.model}, maxLag ${results.plan.maxLag}, every layer, ${m.cpus} cores (${m.cpuModel}), node ${m.node}`,
    `load average (1/5/15 min): ${formatLoad(m.loadAverageStart)} at start, ${formatLoad(m.loadAverageEnd)} at end; total ${results.totalSeconds.toFixed(0)} s`,
    ...results.stimuli.map((s) =>
      `stimuli ${s.words} words: ${s.tokensPerWord.toFixed(2)} tokens/word, longest version ${s.longestTokens} of ${s.contextLength} tokens` +
      (s.tooLong > 0 ? ` (${s.tooLong} candidate sequence${s.tooLong === 1 ? '' : 's'} too long, left out)` : '')),
    '',
    ...comparisonTable(results.comparisons),
    '',
    ...memoryTable(results.memory.rows, results.memory.steps),
    '',
    estimateLine(results),
  ];
  return lines.join('\n');
}

function comparisonTable(comparisons: readonly ComparisonSummary[]): string[] {
  const header = ['case', 'engine', 'passes', 'tokens', 'padded', 'seconds', 'forward s', 'tokens/s', 'swaps/s', 'peak RSS'];
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const c of comparisons) {
    rows.push(engineCells(`${c.sequences} × ${c.words} words`, c.naive));
    rows.push(engineCells(`(${c.swaps} swaps)`, c.fast));
    notes.push(
      `${c.sequences} × ${c.words} words, ${c.ratios.engines}: time ${c.ratios.time.toFixed(2)}× (parts: ${c.ratios.timeByPart.map((r) => `${r.toFixed(2)}×`).join(', ')}; ` +
      `forward passes alone ${c.ratios.forwardTime.toFixed(2)}×); token positions ${c.ratios.tokens.toFixed(2)}× ` +
      `(with padding ${c.ratios.paddedTokens.toFixed(2)}×); measured = ${(100 * c.shareOfTokenRatio).toFixed(0)} % of the token ratio` +
      (c.countsAgree ? '' : '  [engines\' token counts differ from the stimuli\'s count]'),
    );
  }
  return [...alignTable(header, rows), ...notes];
}

function engineCells(label: string, e: EngineTotals): string[] {
  return [
    label, e.engineUsed, String(e.forwardPasses), String(e.tokensComputed), String(e.tokensWithPadding),
    e.seconds.toFixed(1), e.forwardSeconds.toFixed(1), e.tokensPerSecond.toFixed(0), e.swapsPerSecond.toFixed(1), mebibytes(e.maxRss),
  ];
}

function memoryTable(rows: readonly MemoryRow[], steps: readonly MemoryStep[]): string[] {
  const header = ['memory (fast engine)', 'RSS before', 'peak RSS', 'run growth', 'heap+external growth', 'accumulator', 'pasts'];
  const cells = rows.map((r) => [
    `${r.sequences} × ${r.words} words`, mebibytes(r.rssBeforeRun), mebibytes(r.maxRss), mebibytes(r.rssGrowth),
    mebibytes(r.heapAndExternalGrowth), mebibytes(r.keptBytes), mebibytes(r.pastBytes),
  ]);
  return [
    ...alignTable(header, cells),
    ...steps.map((s) =>
      `${s.varied} ${s.varied === 'sequences' ? s.from.sequences : s.from.words} → ${s.varied === 'sequences' ? s.to.sequences : s.to.words} (×${s.sizeFactor.toFixed(2)}): ` +
      `run growth ${signedMebibytes(s.rssGrowthIncrease)}, heap+external ${signedMebibytes(s.heapAndExternalIncrease)}; ` +
      `accumulator + pasts ${signedMebibytes(s.linearPartIncrease)} (×${s.linearPartFactor.toFixed(2)})`),
    'RSS before = after model load and warm-up; peak RSS = kernel peak of the case\'s own process; run growth = peak − before;',
    'heap+external = V8 heap used + external (ArrayBuffers), sampled every 20 ms between forward passes; accumulator = measure/keptBytes; pasts = original keys/values kept.',
  ];
}

function estimateLine(results: BenchResults): string {
  const e = results.estimateJob;
  return `estimate-sized job (${describeSize(e)}, ${e.engineUsed}, every layer): ${e.seconds.toFixed(1)} s measuring ` +
    `(forward ${e.forwardSeconds.toFixed(1)} s), ${e.tokensPerSecond.toFixed(0)} tokens/s, peak RSS ${mebibytes(e.maxRss)}; model load ${e.modelLoadSeconds.toFixed(1)} s`;
}

/** Columns padded to their widest cell; text left-aligned, numbers right-aligned. */
export function alignTable(header: readonly string[], rows: readonly string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = (i: number) => i > 0 && rows.every((r) => /^[-+]?[\d.]+( MiB)?$/.test(r[i]));
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (numeric(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

function mebibytes(bytes: number): string {
  return `${Math.round(bytes / MiB)} MiB`;
}

function signedMebibytes(bytes: number): string {
  return `${bytes >= 0 ? '+' : '−'}${Math.round(Math.abs(bytes) / MiB)} MiB`;
}

function formatLoad(load: readonly number[]): string {
  return load.map((l) => l.toFixed(2)).join(' / ');
}
