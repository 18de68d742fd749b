import { STAGES, type StageSeconds } from '../src/report/index.js';
import { alignTable } from './formatTables.js';
import type { WholeRunResults, WholeRunRow } from './runWholeRuns.js';

/** Issue 11's goals: PyTorch/iw whole-run ratio by words per sequence, default/naive at 150 words, GPT-2-shape memory. */
const PYTORCH_RATIO_GOAL: Record<number, number> = { 40: 3, 150: 10 };
const NAIVE_RATIO_GOAL = 5;
const MEMORY_GOAL_KIB = 2_000_000;

/** The whole-run tables: seconds per stage of every run, default against naive, and iw against PyTorch. */
export function formatWholeRuns(results: WholeRunResults): string {
  const lines = [
    `whole runs: iw estimate --stimuli S --engine E (every other option at its default), one child process each, ${results.threads} cores; seconds`,
    ...stageTable(results.rows),
    'other = the run\'s wall time (node\'s start included) less its stages: module loading, worker start-up (checkpoint writes are in forward); CPU s = user + system over every thread.',
    ...faultCosts(results),
    ...hugePageGains(results.rows),
    ...naiveRatios(results.rows),
    ...readoutCosts(results),
    ...memoryGoal(results.rows),
  ];
  const compared = results.rows.filter((row) => row.pytorch);
  if (compared.length > 0) lines.push('', ...pytorchTable(compared));
  if (results.skipped.length > 0) lines.push('', ...results.skipped);
  return lines.join('\n');
}

function stageTable(rows: readonly WholeRunRow[]): string[] {
  const header = ['whole run', 'engine', 'huge pages', 'seconds', 'open model', 'stimuli', 'forward', 'differences', 'fits', 'bootstrap', 'report', 'other', 'CPU s', 'page faults', 'peak RSS KiB', 'load'];
  const cells = rows.map((row) => [
    `${row.case.modelLabel} ${row.case.sequences} × ${row.case.words}`, `${row.case.engine}${row.case.readout ? ' +readout' : ''}`, row.iw.hugePages ? 'yes' : 'no', row.iw.wallSeconds.toFixed(1),
    ...STAGES.map((stage) => row.iw.stageSeconds[stage].toFixed(1)), otherSeconds(row).toFixed(1), row.iw.cpuSeconds.toFixed(1),
    String(row.iw.minorPageFaults), String(row.iw.maxRssKiB),
    `${row.loadAverage.before.toFixed(1)}→${row.loadAverage.after.toFixed(1)}`,
  ]);
  return alignTable(header, cells);
}

/**
 * The page faults in seconds at this machine's measured cost of a first touch: memory a run touches for the first
 * time costs that much beside its arithmetic (on the virtual machines here about 4 s per GiB).
 */
function faultCosts(results: WholeRunResults): string[] {
  const cost = results.microsecondsPerFault;
  const runs = results.rows.map((row) => `${runLabel(row)} ${(row.iw.minorPageFaults * cost / 1e6).toFixed(1)} s`);
  return [`page faults = first touches of pages (4 KiB, or 2 MiB with huge pages), ${cost.toFixed(1)} µs each for 4 KiB on this machine: ${runs.join('; ')}.`];
}

function runLabel(row: WholeRunRow): string {
  return `${row.case.modelLabel} ${row.case.sequences} × ${row.case.words} ${row.case.engine}${row.case.hugePages ? '' : ' without huge pages'}`;
}

/** Each run without huge pages against the same run with them (the CLI's default where it relaunches for them). */
function hugePageGains(rows: readonly WholeRunRow[]): string[] {
  return rows.filter((row) => !row.case.hugePages).flatMap((without) => {
    const withThem = rows.find((row) => row.case.hugePages && sameRun(row, without));
    if (!withThem) return [];
    return [`${without.case.modelLabel} ${without.case.sequences} × ${without.case.words} ${without.case.engine}: huge pages ` +
      `${withThem.iw.wallSeconds.toFixed(1)} s against ${without.iw.wallSeconds.toFixed(1)} s without ` +
      `(${(without.iw.wallSeconds / withThem.iw.wallSeconds).toFixed(2)}×), ${withThem.iw.minorPageFaults} page faults against ` +
      `${without.iw.minorPageFaults}, peak RSS ${withThem.iw.maxRssKiB} against ${without.iw.maxRssKiB} KiB`];
  });
}

/** Same model, engine and stimuli size. */
function sameRun(a: WholeRunRow, b: WholeRunRow): boolean {
  return a.case.model === b.case.model && a.case.engine === b.case.engine && a.case.words === b.case.words && a.case.sequences === b.case.sequences &&
    (a.case.readout ?? false) === (b.case.readout ?? false);
}

/**
 * --readout output against the same runs without (means over the repeats): the whole run's ratio, where the extra
 * time goes, and what it adds beyond the logits' own forward cost, which issue 26 allows beside 10 % of the run
 * without: the cost of every token's logits as a forward pass computes them (timed alone on the same stimuli,
 * logitsCostCase.ts), and, stricter, that of the read words' logits alone, which is what the read-out computes.
 */
function readoutCosts({ rows, logitsCosts = [] }: WholeRunResults): string[] {
  const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
  const groups = rows.filter((row) => !row.case.readout && !rows.slice(0, rows.indexOf(row)).some((earlier) => !earlier.case.readout && sameRun(earlier, row)));
  return groups.flatMap((first) => {
    const without = rows.filter((row) => !row.case.readout && sameRun(row, first));
    const withReadout = rows.filter((row) => row.case.readout && sameRun(row, { ...first, case: { ...first.case, readout: true } }));
    if (withReadout.length === 0) return [];
    const seconds = (set: WholeRunRow[], pick: (row: WholeRunRow) => number) => mean(set.map(pick));
    const wall = [seconds(without, (r) => r.iw.wallSeconds), seconds(withReadout, (r) => r.iw.wallSeconds)];
    const forward = [seconds(without, (r) => r.iw.stageSeconds.forward), seconds(withReadout, (r) => r.iw.stageSeconds.forward)];
    const differences = [seconds(without, (r) => r.iw.stageSeconds.differences), seconds(withReadout, (r) => r.iw.stageSeconds.differences)];
    const cpu = [seconds(without, (r) => r.iw.cpuSeconds), seconds(withReadout, (r) => r.iw.cpuSeconds)];
    const added = wall[1] - wall[0];
    const beyond = (logits: number) => `${signed(added - logits)} s = ${(100 * (added - logits) / wall[0]).toFixed(1)} % of the run without`;
    const label = `${first.case.modelLabel} ${first.case.sequences} × ${first.case.words}`;
    const lines = [`${label} ${first.case.engine}: --readout output ${wall[1].toFixed(1)} s against ` +
      `${wall[0].toFixed(1)} s without (${(wall[1] / wall[0]).toFixed(2)}×, +${added.toFixed(2)} s; means of ${withReadout.length} and ${without.length} runs); ` +
      `forward +${(forward[1] - forward[0]).toFixed(2)} s, differences +${(differences[1] - differences[0]).toFixed(2)} s; ` +
      `CPU seconds ${cpu[1].toFixed(1)} against ${cpu[0].toFixed(1)} (${(cpu[1] / cpu[0]).toFixed(2)}×: on a machine other work keeps busy, the fairer measure)`];
    const cost = logitsCosts.find((c) => c.model === first.case.model && c.words === first.case.words && c.sequences === first.case.sequences)?.result.forwardSeconds;
    if (!cost) return [...lines, `${label}: the logits' own forward cost was not timed; beyond the forward stage's increase ${beyond(forward[1] - forward[0])} (allowed: 10 %)`];
    const [every, read] = [cost.everyToken - cost.none, cost.readWords - cost.none];
    return [...lines, `${label}: the logits' own forward cost (forward passes alone, ${cost.none.toFixed(1)} s without logits): every token's ` +
      `+${every.toFixed(2)} s, the read words' alone +${read.toFixed(2)} s. The read-out adds beyond every token's logits ${beyond(every)} ` +
      `(allowed: 10 %); beyond the read words' ${beyond(read)}`];
  });
}

function signed(seconds: number): string {
  return `${seconds < 0 ? '-' : '+'}${Math.abs(seconds).toFixed(2)}`;
}

/** Wall time not inside any stage. */
export function otherSeconds(row: WholeRunRow): number {
  return row.iw.wallSeconds - stageTotal(row.iw.stageSeconds);
}

export function stageTotal(stages: StageSeconds): number {
  return STAGES.reduce((sum, stage) => sum + stages[stage], 0);
}

/** Default engine against --engine naive on the same model and stimuli size. */
function naiveRatios(rows: readonly WholeRunRow[]): string[] {
  return rows.filter((row) => row.case.engine === 'naive').flatMap((naive) => {
    const fast = rows.find((row) => row.case.engine === 'fast' && row.case.hugePages === naive.case.hugePages && row.case.model === naive.case.model &&
      row.case.words === naive.case.words && row.case.sequences === naive.case.sequences);
    if (!fast) return [];
    const engineSeconds = (row: WholeRunRow) => row.iw.stageSeconds.forward + row.iw.stageSeconds.differences;
    return [`${naive.case.modelLabel} ${naive.case.sequences} × ${naive.case.words} words: the default engine's whole run is ` +
      `${(naive.iw.wallSeconds / fast.iw.wallSeconds).toFixed(2)}× faster than --engine naive (goal ≥ ${NAIVE_RATIO_GOAL}×); ` +
      `forward + differences ${(engineSeconds(naive) / engineSeconds(fast)).toFixed(2)}×; CPU seconds ` +
      `${(naive.iw.cpuSeconds / fast.iw.cpuSeconds).toFixed(2)}× (on cores both runs keep busy, the wall-time ratio cannot go far past it)`];
  });
}

function memoryGoal(rows: readonly WholeRunRow[]): string[] {
  return rows.filter((row) => row.case.modelLabel === 'gpt2-shape' && row.case.words === 40).map((row) =>
    `gpt2-shape ${row.case.sequences} × ${row.case.words} words${row.case.hugePages ? '' : ' without huge pages'}: peak resident memory ${row.iw.maxRssKiB} KiB (goal ≤ ${MEMORY_GOAL_KIB} KiB at 20 × 40)`);
}

function pytorchTable(rows: readonly WholeRunRow[]): string[] {
  const first = rows[0].pytorch!;
  const header = ['iw vs PyTorch', 'iw whole', 'iw forward+diff', 'PyTorch forward', 'PyTorch stats+fits', 'PyTorch total',
    'PyTorch/iw whole', 'goal', 'PyTorch/iw forward', 'PyTorch peak KiB', 'windows |Δ|'];
  const cells = rows.map((row) => {
    const p = row.pytorch!;
    const iwForward = row.iw.stageSeconds.forward + row.iw.stageSeconds.differences;
    const goal = PYTORCH_RATIO_GOAL[row.case.words];
    return [
      `${row.case.modelLabel} ${row.case.sequences} × ${row.case.words}`, row.iw.wallSeconds.toFixed(1), iwForward.toFixed(1),
      p.forwardSeconds.toFixed(1), (p.statisticsSeconds + p.fitSeconds).toFixed(1), p.totalSeconds.toFixed(1),
      `${(p.totalSeconds / row.iw.wallSeconds).toFixed(2)}×`, goal ? `≥ ${goal}×` : '-',
      `${((p.forwardSeconds + p.differenceSeconds) / iwForward).toFixed(2)}×`, String(p.maxRssKiB),
      row.windowDifference === undefined ? '-' : row.windowDifference.toExponential(1),
    ];
  });
  return [
    ...alignTable(header, cells),
    `PyTorch ${first.torch}, ${first.threads} threads, float32, all N + 1 versions of a sequence in one batch, hidden states of every layer ` +
      `(no logits), single-start fits by ${first.fitter}; its forward includes word pooling, iw's forward+diff its differences.`,
    'windows |Δ| = largest difference between iw\'s and PyTorch\'s population windows (same weights, same stimuli).',
  ];
}
