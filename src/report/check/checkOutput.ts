import { formatChange, formatInterval, formatNumber } from '../numberFormat.js';
import { textTable } from '../../util/index.js';
import type { AppliedRule, CheckResult, QuantityCheck } from './checkReport.js';

/** What `iw check` prints: a verdict line, then a table of every quantity that moved (drifted ones marked). */
export function formatCheckResult(result: CheckResult, names: { report: string; baseline: string }, maxLag: number): string {
  const moved = result.checks.filter((c) => c.moved);
  const drifted = result.checks.filter((c) => !c.within);
  const total = result.checks.length;
  const verdict = drifted.length > 0
    ? `iw check: DRIFT: ${drifted.length} of ${total} quantities moved beyond tolerance`
    : moved.length === 0
      ? `iw check: passed: all ${total} quantities equal the baseline's`
      : `iw check: passed: ${moved.length} of ${total} quantities moved, all within tolerance`;
  const lines = [verdict, `  report:   ${names.report}`, `  baseline: ${names.baseline}`, `  rules:    ${rulesUsed(result.checks)}`];
  let table = '';
  if (moved.length > 0) {
    const rows = moved.map((c) => [
      String(c.layer),
      c.lag === undefined ? c.quantity : `${c.quantity} (lag ${c.lag})`,
      lagOrNumber(c.baseline, maxLag),
      lagOrNumber(c.value, maxLag),
      c.change === null ? (c.baseline === null ? `from >${maxLag}` : `to >${maxLag}`) : formatChange(c.change),
      ruleText(c.rule, maxLag),
      c.within ? 'ok' : 'DRIFT',
    ]);
    table = `\n${textTable([
      { header: 'layer' }, { header: 'quantity', align: 'left' }, { header: 'baseline' }, { header: 'report' },
      { header: 'change' }, { header: 'allowed', align: 'left' }, { header: 'status', align: 'left' },
    ], rows)}`;
  }
  const notes = result.notes.length > 0 ? `\nnotes: ${result.notes.join('; ')}\n` : '';
  return `${lines.join('\n')}\n${table}${notes}`;
}

/** `iw check --json`: the verdict and every comparison, for machines. */
export function checkResultJson(result: CheckResult, names: { report: string; baseline: string }): string {
  return `${JSON.stringify({
    format: 'iw-check/1',
    passed: result.passed,
    report: names.report,
    baseline: names.baseline,
    counts: { checked: result.checks.length, moved: result.checks.filter((c) => c.moved).length, drifted: result.checks.filter((c) => !c.within).length },
    notes: result.notes,
    checks: result.checks,
  }, null, 2)}\n`;
}

function ruleText(rule: AppliedRule, maxLag: number): string {
  switch (rule.kind) {
    case 'interval': return `±${formatNumber(rule.allowed)} (interval ${formatInterval(rule.interval, maxLag)})`;
    case 'exact': return 'exact';
    case 'tolerance': {
      const parts = [rule.abs > 0 ? `abs ${formatNumber(rule.abs)}` : '', rule.rel > 0 ? `rel ${formatNumber(rule.rel)}` : ''].filter(Boolean);
      return `±${formatNumber(rule.allowed)} (${parts.join(', ')})`;
    }
  }
}

function rulesUsed(checks: readonly QuantityCheck[]): string {
  const kinds = new Set(checks.map((c) => c.rule.kind));
  const names = { tolerance: 'tolerance file', interval: "baseline's bootstrap intervals", exact: 'exact (no interval or tolerance given)' };
  return [...kinds].sort().map((k) => names[k]).join(', ') || 'none';
}

function lagOrNumber(value: number | null, maxLag: number): string {
  return value === null ? `>${maxLag}` : formatNumber(value, 4);
}
