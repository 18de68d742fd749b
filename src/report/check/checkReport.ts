import type { Report, ReportLayer } from '../schema.js';
import { checkComparable } from './compatibility.js';
import { layerQuantities, windowQuantities, readQuantity, readReadoutQuantity, type QuantityReading } from '../layerQuantities.js';
import { readoutSides } from '../reportParts.js';
import { largestWindowChange, layerMap } from './windowChange.js';
import type { CheckedQuantity, ToleranceFile } from './tolerance.js';
import { intervalAllowance } from './intervalRule.js';

/**
 * `iw check`: does a fresh report agree with a stored baseline, layer by layer, within tolerance?
 *
 * Which rule a quantity gets: the tolerance file's entry for it; else the file's "default" (not for `window`,
 * which is checked only when named); else its bootstrap interval when both reports have intervals (within when
 * |change| ≤ √2 × the interval's reach from the baseline on that side, at least half its width: intervalRule.ts); else "exact" (equal to 1e-6 relative, 1e-9 absolute:
 * a reproducibility check for reruns with the same seed). Every rule passes a report equal to its baseline.
 */
export type AppliedRule =
  | { kind: 'tolerance'; abs: number; rel: number; allowed: number }
  /** `slack`: float round-off forgiven on top of what the interval allows (as the exact rule forgives). */
  | { kind: 'interval'; interval: readonly [number | null, number | null]; allowed: number; slack: number }
  | { kind: 'exact'; allowed: number };

export interface QuantityCheck {
  /** The layer, or `output` / `divergence` for the output read-out's windows. */
  layer: number | string;
  quantity: CheckedQuantity;
  baseline: number | null;
  value: number | null;
  /** value − baseline; null when either is a half-decay lag beyond maxLag (null). */
  change: number | null;
  /** Whether the value differs from the baseline at all. */
  moved: boolean;
  rule: AppliedRule;
  within: boolean;
  /** For `window`: the lag compared. */
  lag?: number;
}

export interface CheckResult {
  passed: boolean;
  checks: QuantityCheck[];
  /** Differences between the runs that do not stop a check (stimuli, software versions). */
  notes: string[];
}

export interface CheckOptions {
  tolerances?: ToleranceFile;
  /** Settings allowed to differ besides those that never change results. */
  ignoreSettings?: readonly string[];
  /** How the reports are named in messages. */
  names?: { report: string; baseline: string };
}

const EXACT_ABS = 1e-9;
const EXACT_REL = 1e-6;

export function checkReport(report: Report, baseline: Report, options: CheckOptions = {}): CheckResult {
  const notes = checkComparable(report, baseline, options.names ?? { report: 'the report', baseline: 'the baseline' }, options.ignoreSettings);
  const tolerances = options.tolerances ?? {};
  const maxLag = baseline.settings.maxLag;
  const baselineLayers = layerMap(baseline);
  const checks: QuantityCheck[] = [];
  for (const layer of report.layers) {
    const base = baselineLayers.get(layer.layer);
    if (!base) throw new Error(`layer ${layer.layer} is not in the baseline (checkComparable refuses that)`);
    for (const quantity of layerQuantities) {
      const [mine, theirs] = [readQuantity[quantity](layer), readQuantity[quantity](base)];
      if (mine && theirs) checks.push(checkQuantity(layer.layer, quantity, mine, theirs, tolerances, maxLag));
    }
    if (tolerances.window) checks.push(checkWindow(layer.layer, layer, base, tolerances));
  }
  checks.push(...checkReadout(report, baseline, tolerances, maxLag));
  return { passed: checks.every((c) => c.within), checks, notes };
}

/**
 * The output read-out's windows (--readout output) checked as a layer is, under the layer names `output` and
 * `divergence`; none when either report lacks them (their settings differ, which only --ignore-settings allows).
 */
function checkReadout(report: Report, baseline: Report, tolerances: ToleranceFile, maxLag: number): QuantityCheck[] {
  const theirs = new Map(readoutSides(baseline));
  const checks: QuantityCheck[] = [];
  for (const [label, mine] of readoutSides(report)) {
    const base = theirs.get(label);
    if (!base) continue;
    for (const quantity of windowQuantities) {
      checks.push(checkQuantity(label, quantity, readReadoutQuantity[quantity](mine), readReadoutQuantity[quantity](base), tolerances, maxLag));
    }
    if (tolerances.window) checks.push(checkWindow(label, mine, base, tolerances));
  }
  return checks;
}

function checkQuantity(layer: number | string, quantity: CheckedQuantity, mine: QuantityReading, theirs: QuantityReading, tolerances: ToleranceFile, maxLag: number): QuantityCheck {
  const rule = chooseRule(tolerances[quantity] ?? tolerances.default, theirs, mine, theirs.value ?? maxLag, maxLag);
  const change = mine.value !== null && theirs.value !== null ? mine.value - theirs.value : null;
  return {
    layer, quantity, baseline: theirs.value, value: mine.value, change,
    moved: mine.value !== theirs.value,
    rule,
    within: isWithin(rule, mine.value, theirs.value, maxLag),
  };
}

function checkWindow(label: number | string, layer: Pick<ReportLayer, 'window'>, base: Pick<ReportLayer, 'window'>, tolerances: ToleranceFile): QuantityCheck {
  const largest = largestWindowChange(layer, base);
  const rule = chooseRule(tolerances.window, {}, {}, Math.abs(largest.baseline), Infinity);
  return {
    layer: label, quantity: 'window', baseline: largest.baseline, value: largest.value,
    change: largest.value - largest.baseline, moved: largest.value !== largest.baseline,
    rule, within: isWithin(rule, largest.value, largest.baseline, Infinity), lag: largest.lag,
  };
}

/** The interval rule for the side of the change (`allowed` depends on whether the report lies above or below). */
function intervalRule(interval: readonly [number | null, number | null], theirs: Partial<QuantityReading>, mine: Partial<QuantityReading>, size: number, maxLag: number): AppliedRule {
  const allowed = intervalAllowance(interval, theirs.value ?? null, mine.value ?? null, maxLag);
  return { kind: 'interval', interval, allowed, slack: EXACT_ABS + EXACT_REL * size };
}

/** The rule for one quantity; `magnitude` is |baseline| (maxLag for a half-decay lag beyond it). */
function chooseRule(given: ToleranceFile[CheckedQuantity], theirs: Partial<QuantityReading>, mine: Partial<QuantityReading>, magnitude: number, maxLag: number): AppliedRule {
  const size = Math.abs(magnitude);
  if (given === undefined) {
    if (theirs.interval && mine.interval) return intervalRule(theirs.interval, theirs, mine, size, maxLag);
    return { kind: 'exact', allowed: EXACT_ABS + EXACT_REL * size };
  }
  if (given === 'interval') {
    if (theirs.interval) return intervalRule(theirs.interval, theirs, mine, size, maxLag);
    return { kind: 'exact', allowed: EXACT_ABS + EXACT_REL * size };
  }
  if (given === 'exact') return { kind: 'exact', allowed: EXACT_ABS + EXACT_REL * size };
  const abs = given.abs ?? 0;
  const rel = given.rel ?? 0;
  return { kind: 'tolerance', abs, rel, allowed: abs + rel * size + EXACT_ABS };
}

/**
 * Every rule judges the change: within when the distance from the baseline is at most what the rule allows. A
 * half-decay lag of null means "beyond maxLag": it is the set (maxLag, ∞), so its distance from a number x is
 * max(0, maxLag − x), and from another null 0.
 */
function isWithin(rule: AppliedRule, value: number | null, baseline: number | null, maxLag: number): boolean {
  return distance(value, baseline, maxLag) <= rule.allowed + (rule.kind === 'interval' ? rule.slack : 0);
}

function distance(value: number | null, baseline: number | null, maxLag: number): number {
  if (value === null && baseline === null) return 0;
  if (value === null) return baseline === null ? 0 : Math.max(0, maxLag - baseline);
  if (baseline === null) return Math.max(0, maxLag - value);
  return Math.abs(value - baseline);
}
