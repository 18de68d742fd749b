import { boundsHit, type Interval, type LayerFitIntervals, type LayerUnitFits, type ModelComparison, type WindowFit } from '../analysis/index.js';
import type { LayerUnitFitRows, UnitFitRow } from '../report/index.js';
import type { ReportInput } from '../report/index.js';
import type { LayerFindings, LayerYokingFindings } from './analyzeLayers.js';

type ReportLayerInput = ReportInput['layers'][number];

/** JSON has no NaN or Infinity: a quantity that does not exist is null (the report schema documents when). */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

export function interval(value: Interval): [number, number] | null {
  return Number.isFinite(value.lower) && Number.isFinite(value.upper) ? [value.lower, value.upper] : null;
}

/** A lag interval: null stands for "beyond maxLag" (the half-decay lag is Infinity there). */
export function lagInterval(value: Interval): [number | null, number | null] {
  const bound = (x: number) => (x === Infinity || Number.isNaN(x) ? null : x);
  return [bound(value.lower), bound(value.upper)];
}

/** Why a layer cannot be reported (every unit excluded, or no fit converged), or null when it can. */
export function unreportableReason(findings: LayerFindings): string | null {
  const parts = reportableParts(findings);
  return typeof parts === 'string' ? parts : null;
}

/** What a reported layer needs from its window analysis, each part there; or why the layer cannot be reported. */
function reportableParts(findings: LayerFindings): { populationWindow: Float64Array; fit: WindowFit; units: LayerUnitFits } | string {
  const { windows, populationFit, unitFits } = findings.windowAnalysis;
  if (!windows.populationWindow) return 'every unit\'s lag-0 effect was zero, so no window could be formed';
  if (!populationFit) return 'the fit of its population window failed';
  if (!unitFits || unitFits.fitted === 0) return 'no unit window could be fitted';
  return { populationWindow: windows.populationWindow, fit: populationFit, units: unitFits };
}

/**
 * The future side of a bidirectional model's layer, as the report holds it: the same window, fit and summary (and
 * intervals) a layer has, from the analysis of the mirrored differences; undefined when that layer cannot be reported.
 */
export function reportFutureSide(findings: LayerFindings): ReportLayerInput['future'] {
  if (unreportableReason(findings) !== null) return undefined;
  const { window, unitWindow, fit, summary, intervals } = reportLayer(findings, undefined);
  return { window, unitWindow, fit, summary, ...(intervals ? { intervals } : {}) };
}

/** One layer of iw-report/1 from the analysis of the window stimuli (and yoking stimuli, when measured). */
export function reportLayer(findings: LayerFindings, yoking: LayerYokingFindings | undefined): ReportLayerInput {
  const { windows } = findings.windowAnalysis;
  const parts = reportableParts(findings);
  if (typeof parts === 'string') throw new Error(`layer ${findings.layer} cannot be reported (${parts}): check unreportableReason first`);
  const { populationWindow, fit, units } = parts;
  const quartile = (key: 'q1' | 'median' | 'q3') => ({
    a: finiteOrNull(units.summary.a[key]),
    b: finiteOrNull(units.summary.b[key]),
    c: units.summary.c[key],
  });
  const layer: ReportLayerInput = {
    layer: findings.layer,
    units: windows.width,
    window: Array.from(populationWindow),
    unitWindow: {
      median: Array.from(windows.unitWindowQuartiles.median),
      q25: Array.from(windows.unitWindowQuartiles.q1),
      q75: Array.from(windows.unitWindowQuartiles.q3),
    },
    fit: {
      population: { ...fit.parameters, sse: fit.sse },
      units: { median: quartile('median'), q25: quartile('q1'), q75: quartile('q3') },
      diagnostics: {
        identified: fit.identified,
        minimaGap: fit.alternative ? finiteOrNull((fit.alternative.sse - fit.sse) / fit.sse) : null,
        rival: fit.alternative ? { ...fit.alternative.parameters, sse: fit.alternative.sse } : null,
        atBound: [...new Set(fit.boundsHit.map((hit) => hit[0] as 'a' | 'b' | 'c'))].sort(),
        unitsFitted: units.fitted,
        unitsAtBound: units.atBound,
        unitsUnidentified: units.notIdentified,
        failedFits: units.failed,
        excludedUnits: windows.exclusions.zeroAtEveryWord + windows.exclusions.zeroAtSomeWords,
      },
    },
    summary: { halfDecayLag: finiteOrNull(fit.halfDecayLag), lag75: fit.lag75 },
  };
  if (findings.intervals) layer.intervals = reportIntervals(findings.intervals);
  if (findings.comparison) layer.comparison = reportComparison(findings.comparison);
  if (yoking) layer.yoking = reportYoking(yoking);
  return layer;
}

function reportIntervals({ population, unitMedians }: LayerFitIntervals): NonNullable<ReportLayerInput['intervals']> {
  return {
    a: interval(population.a),
    b: interval(population.b),
    c: interval(population.c),
    halfDecayLag: lagInterval(population.halfDecayLag),
    lag75: interval(population.lag75) ?? [0, 0],
    unitMedian: unitMedians
      ? { a: interval(unitMedians.a), b: interval(unitMedians.b), c: interval(unitMedians.c) }
      : { a: null, b: null, c: null },
  };
}

export function reportComparison(comparison: ModelComparison): NonNullable<ReportLayerInput['comparison']> {
  const score = (name: 'exponential' | 'powerLaw' | 'mixture') => {
    const model = comparison.models[name];
    return {
      a: name === 'exponential' ? null : model.parameters.a,
      b: name === 'powerLaw' ? null : model.parameters.b,
      c: model.parameters.c,
      parameterCount: model.parameterCount,
      sse: model.sse,
      // Mean squared error per held-out point, over both directions of the split.
      heldOutError: model.heldOutSse / (2 * comparison.points),
      bic: model.bic,
    };
  };
  return {
    models: { exponential: score('exponential'), powerLaw: score('powerLaw'), mixture: score('mixture') },
    winner: {
      heldOutError: { model: comparison.byHeldOut.winner, runnerUp: comparison.byHeldOut.runnerUp, ratio: finiteOrNull(comparison.byHeldOut.ratio) },
      bic: { model: comparison.byBic.winner, runnerUp: comparison.byBic.runnerUp, delta: Math.max(0, comparison.byBic.margin) },
    },
  };
}

function reportYoking({ yoking, intervals }: LayerYokingFindings): NonNullable<ReportLayerInput['yoking']> {
  const ci = (value: Interval | undefined) => (value ? interval(value) ?? undefined : undefined);
  return {
    median: yoking.y.median,
    q25: yoking.y.q1,
    q75: yoking.y.q3,
    ...(intervals ? { ci: ci(intervals.medianY) } : {}),
    profile: Array.from(yoking.fProfile, finiteOrNull),
    controlLagsFrom1: {
      median: yoking.yFromLagOne.median,
      q25: yoking.yFromLagOne.q1,
      q75: yoking.yFromLagOne.q3,
      ...(intervals ? { ci: ci(intervals.medianYFromLagOne) } : {}),
    },
  };
}

/** Every unit's fit of a layer, for fits.csv. */
export function unitFitRows(findings: LayerFindings): LayerUnitFitRows {
  const { windows, unitFits } = findings.windowAnalysis;
  const rows: UnitFitRow[] = [];
  for (let unit = 0; unit < windows.width; unit++) {
    if (!windows.includedUnits[unit]) {
      rows.push({ unit, status: 'excluded', a: null, b: null, c: null, sse: null, identified: null });
      continue;
    }
    const identified = unitFits?.identified[unit] ?? -1;
    if (!unitFits || identified === -1) {
      rows.push({ unit, status: 'failed', a: null, b: null, c: null, sse: null, identified: null });
      continue;
    }
    const parameters = { a: unitFits.a[unit], b: unitFits.b[unit], c: unitFits.c[unit] };
    rows.push({
      unit,
      status: boundsHit(parameters).length > 0 ? 'at-bound' : 'ok',
      a: finiteOrNull(unitFits.a[unit]),
      b: finiteOrNull(unitFits.b[unit]),
      c: unitFits.c[unit],
      sse: unitFits.sse[unit],
      identified: identified === 1,
    });
  }
  return { layer: findings.layer, units: rows };
}
