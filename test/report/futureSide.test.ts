import { describe, expect, it } from 'vitest';
import { checkReport, formatReportTable, reportFigures, reportSchema, windowsCsv, type Report } from '../../src/report/index.js';
import { syntheticReport } from './helpers/syntheticReport.js';
import { allElements, parseXml, textContent } from './helpers/xml.js';

/**
 * A bidirectional model's report: layers[i].future (window, unit windows, fit, summary, intervals with a bootstrap)
 * beside the usual side. Built here from the synthetic report, the future side a copy of the usual one scaled down,
 * so where each number lands can be told apart.
 */
function withFutureSide(report: Report): Report {
  const copy = structuredClone(report);
  for (const layer of copy.layers) {
    const scale = (values: number[]) => values.map((v, lag) => (lag === 0 ? 1 : v / 2));
    layer.future = {
      window: scale(layer.window),
      unitWindow: { median: scale(layer.unitWindow.median), q25: scale(layer.unitWindow.q25), q75: scale(layer.unitWindow.q75) },
      fit: layer.fit,
      summary: layer.summary,
      ...(layer.intervals ? { intervals: layer.intervals } : {}),
    };
  }
  return copy;
}

describe('the future side of a bidirectional model in a report', () => {
  const report = withFutureSide(syntheticReport({ layerCount: 4, bootstrap: true }));

  it('validates, and is refused with a window of the wrong length or without intervals beside a bootstrap', () => {
    expect(reportSchema.safeParse(report).success).toBe(true);
    const short = structuredClone(report);
    short.layers[1].future!.window.pop();
    expect(JSON.stringify(reportSchema.safeParse(short).error?.issues)).toMatch(/layers.*1.*future.*window.*maxLag \+ 1 = 21/);
    const noIntervals = structuredClone(report);
    delete noIntervals.layers[2].future!.intervals;
    expect(reportSchema.safeParse(noIntervals).success).toBe(false);
  });

  it('windows.csv runs from −maxLag (the future side) to maxLag per layer', () => {
    const rows = windowsCsv(report).trim().split('\n').slice(1).map((line) => line.split(',').map(Number));
    const layer1 = rows.filter((row) => row[0] === 1);
    expect(layer1.map((row) => row[1])).toEqual(Array.from({ length: 41 }, (_, i) => i - 20));
    expect(layer1[0][2]).toBeCloseTo(report.layers[1].future!.window[20], 6);
    expect(layer1[40][2]).toBeCloseTo(report.layers[1].window[20], 6);
    // A causal report keeps its rows as they were: lags 0..maxLag.
    const causal = windowsCsv(syntheticReport({ layerCount: 2 })).trim().split('\n').slice(1).map((line) => Number(line.split(',')[1]));
    expect(Math.min(...causal)).toBe(0);
  });

  it('the figures draw both sides: windows from −maxLag to maxLag, a future series among the parameters', () => {
    const figures = reportFigures(report);
    const windows = parseXml(figures.find((f) => f.file === 'windows.svg')!.svg);
    const labels = allElements(windows).filter((e) => e.name === 'text').map(textContent);
    expect(labels).toEqual(expect.arrayContaining(['-20', '0', '20']));
    const series = allElements(windows).filter((e) => e.attributes.class === 'series');
    const points = [...series[1].children[0].attributes.d.matchAll(/[ML]/g)];
    expect(points).toHaveLength(41);
    const parameters = parseXml(figures.find((f) => f.file === 'parameters.svg')!.svg);
    expect(allElements(parameters).some((e) => e.attributes['data-label'] === 'future side: population fit')).toBe(true);
    expect(formatReportTable(report)).toMatch(/future c\s+future half-decay/);
    // A causal report's windows start at lag 0.
    const causal = parseXml(reportFigures(syntheticReport({ layerCount: 2 })).find((f) => f.file === 'windows.svg')!.svg);
    expect(allElements(causal).filter((e) => e.name === 'text').map(textContent)).not.toContain('-20');
  });

  it('iw check compares the future side too, and a moved future c fails the check', () => {
    const moved = structuredClone(report);
    moved.layers[2].future!.fit.population.c = Math.min(1, moved.layers[2].future!.fit.population.c + 0.3);
    const result = checkReport(moved, report, { tolerances: { default: { abs: 0.01 } } });
    const futureC = result.checks.filter((c) => c.quantity === 'futureC');
    expect(futureC).toHaveLength(report.layers.length);
    expect(futureC.find((c) => c.layer === 2)!.within).toBe(false);
    expect(result.passed).toBe(false);
    expect(checkReport(report, report).passed).toBe(true);
  });
});
