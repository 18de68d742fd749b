import { checkReport, type QuantityCheck, type Report } from '../src/report/index.js';

/** Drift counts of one group of checks (one quantity, or all). */
export interface DriftCount {
  checks: number;
  drifted: number;
}

/** What checking every rerun against every other (seed ≠ seed) found, under iw check's default rules. */
export interface FalseAlarmTally {
  reports: number;
  /** Ordered pairs (report, baseline) checked: reports × (reports − 1). */
  pairs: number;
  /** Pairs with at least one drifted quantity (what a CI gate would fail). */
  pairsDrifted: number;
  /** Checks judged by the baseline's bootstrap interval (the default rule when both reports have intervals). */
  interval: DriftCount;
  /** Checks with no interval on one side, judged by exact agreement: a rerun with another seed always moves them. */
  exact: DriftCount;
  /** Interval-judged checks per quantity. */
  byQuantity: Record<string, DriftCount>;
  /** The same interval-judged checks under the rules iw check could have used instead (for docs/check.md). */
  alternatives: {
    /** Before: within when the report lies inside the baseline's interval. */
    insideInterval: DriftCount;
    /** |change| ≤ √2 × the interval's reach from the baseline on the side of the change (clamped at 0). */
    sideReach: DriftCount;
    /** |change| ≤ the interval's width / √2, whatever the side. */
    halfWidth: DriftCount;
  };
  /** Reports that fail a check against themselves under the "inside the interval" rule (0 under iw check's rule). */
  selfChecksFailingInside: number;
  selfChecksFailing: number;
}

/**
 * Checks every report against every other as its baseline, settings other than the seed being equal, and counts
 * the drifts: each is a false alarm, since the reports differ only by the seed (stimuli and bootstrap redrawn).
 */
export function tallyFalseAlarms(reports: readonly Report[]): FalseAlarmTally {
  const tally: FalseAlarmTally = {
    reports: reports.length, pairs: 0, pairsDrifted: 0, interval: zero(), exact: zero(), byQuantity: {},
    alternatives: { insideInterval: zero(), sideReach: zero(), halfWidth: zero() }, selfChecksFailingInside: 0, selfChecksFailing: 0,
  };
  for (const report of reports) {
    const self = checkReport(report, report);
    if (!self.passed) tally.selfChecksFailing++;
    if (self.checks.some((c) => c.rule.kind === 'interval' && !insideInterval(c, report.settings.maxLag))) tally.selfChecksFailingInside++;
  }
  reports.forEach((baseline, b) => reports.forEach((report, r) => {
    if (r === b) return;
    const result = checkReport(report, baseline, { ignoreSettings: ['seed'] });
    tally.pairs++;
    if (!result.passed) tally.pairsDrifted++;
    for (const check of result.checks) {
      if (check.rule.kind === 'exact') add(tally.exact, check.within);
      if (check.rule.kind !== 'interval') continue;
      add(tally.interval, check.within);
      add(tally.byQuantity[check.quantity] ??= zero(), check.within);
      add(tally.alternatives.insideInterval, insideInterval(check, baseline.settings.maxLag));
      add(tally.alternatives.sideReach, withinAlternative(check, baseline.settings.maxLag, 'sideReach'));
      add(tally.alternatives.halfWidth, withinAlternative(check, baseline.settings.maxLag, 'halfWidth'));
    }
  }));
  return tally;
}

function zero(): DriftCount {
  return { checks: 0, drifted: 0 };
}

function add(count: DriftCount, within: boolean): void {
  count.checks++;
  if (!within) count.drifted++;
}

/** A lag value or bound of null ("beyond maxLag") at its least, maxLag, as iw check's distances count it. */
const lagValue = (value: number | null, maxLag: number) => value ?? maxLag;

function insideInterval(check: QuantityCheck, maxLag: number): boolean {
  if (check.rule.kind !== 'interval') return true;
  const [low, high] = check.rule.interval;
  const value = check.value ?? Infinity;
  const slack = 1e-9 + 1e-6 * Math.abs(lagValue(check.value, maxLag));
  return (low === null ? value === Infinity : value >= low - slack) && (high === null || value <= high + slack);
}

/** The two halves of iw check's rule, each alone: √2 × the reach on the side of the change, or √2 × half the width. */
function withinAlternative(check: QuantityCheck, maxLag: number, rule: 'sideReach' | 'halfWidth'): boolean {
  if (check.rule.kind !== 'interval') return true;
  const [low, high] = check.rule.interval.map((bound) => lagValue(bound, maxLag));
  const [value, base] = [lagValue(check.value, maxLag), lagValue(check.baseline, maxLag)];
  const change = value - base;
  const spread = rule === 'sideReach' ? Math.max(0, change >= 0 ? high - base : base - low) : (high - low) / 2;
  return Math.abs(change) <= Math.SQRT2 * spread + 1e-9 + 1e-6 * Math.abs(base);
}

/** The tally as the markdown docs/check.md quotes. */
export function formatFalseAlarmTally(tally: FalseAlarmTally): string {
  const share = (c: DriftCount) => `${c.drifted} of ${c.checks} (${c.checks > 0 ? (100 * c.drifted / c.checks).toFixed(1) : '–'} %)`;
  const lines = [
    `${tally.reports} reruns, ${tally.pairs} ordered pairs (report, baseline) checked with --ignore-settings seed`,
    '',
    '| rule | checks that drift |',
    '|---|---|',
    `| iw check: \\|change\\| ≤ √2 × max(reach on that side, half width) | ${share(tally.interval)} |`,
    `| √2 × the reach from the baseline on that side alone | ${share(tally.alternatives.sideReach)} |`,
    `| √2 × half the width alone (width / √2) | ${share(tally.alternatives.halfWidth)} |`,
    `| before: inside the baseline's interval | ${share(tally.alternatives.insideInterval)} |`,
    '',
    '| quantity | checks that drift (iw check) |',
    '|---|---|',
    ...Object.entries(tally.byQuantity).map(([quantity, count]) => `| ${quantity} | ${share(count)} |`),
    '',
    `pairs with at least one drift: ${tally.pairsDrifted} of ${tally.pairs} (${(100 * tally.pairsDrifted / Math.max(1, tally.pairs)).toFixed(1)} %)`,
    `checks without an interval (exact rule): ${share(tally.exact)}`,
    `reports failing a check against themselves: ${tally.selfChecksFailing} of ${tally.reports} (under "inside the interval": ${tally.selfChecksFailingInside})`,
  ];
  return lines.join('\n');
}
