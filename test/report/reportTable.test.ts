import { describe, expect, it } from 'vitest';
import { formatReportTable } from '../../src/report/index.js';
import { syntheticReport } from './helpers/syntheticReport.js';

const headerOf = (table: string) => table.split('\n')[2].split(/\s{2,}/).map((s) => s.trim()).filter(Boolean);

describe('the stdout table', () => {
  it('has layer, a, b, c, half-decay lag and lag75, one row per layer', () => {
    const report = syntheticReport({ layerCount: 5 });
    const table = formatReportTable(report);
    expect(headerOf(table)).toEqual(['layer', 'a', 'b', 'c', 'half-decay lag', 'lag75', 'notes']);
    const row = table.split('\n').find((line) => /^\s+3\s/.test(line))!;
    // Planted for layer 3 of 5 (depth 0.75): a = 1.6 − 1.45·0.75, b = 1.4 − 1.1·0.75, c = 0.1 + 0.8·0.75.
    expect(row.trim().split(/\s+/).slice(0, 4)).toEqual(['3', '0.512', '0.575', '0.7']);
  });

  it('adds Y and the winning model when the report has them, and intervals of the headline numbers', () => {
    const table = formatReportTable(syntheticReport({ yoking: true, comparison: true, bootstrap: true }));
    expect(headerOf(table)).toEqual(['layer', 'a', 'b', 'c', 'half-decay lag', 'lag75', 'Y', 'best by BIC', 'best held out', 'notes']);
    expect(table).toMatch(/mixture \(ΔBIC \d/);
    expect(table).toContain('95 % intervals from 200 bootstrap replicates');
  });

  it('writes a half-decay lag beyond maxLag as >maxLag and says what that means', () => {
    const report = syntheticReport({ layerCount: 9 });
    // With the planted a = 0.15, b = 0.3, c = 0.9 the deepest layer stays above 0.5 up to lag 20.
    expect(report.layers[8].summary.halfDecayLag).toBeNull();
    const table = formatReportTable(report);
    expect(table.split('\n').find((line) => /^\s+8\s/.test(line))).toContain('>20');
    expect(table).toContain('half-decay lag >20: the fitted window stays above 0.5 up to maxLag');
  });

  it('flags layers whose exponential/power-law split is not identified', () => {
    const table = formatReportTable(syntheticReport());
    expect(table.split('\n').find((line) => /^\s+3\s/.test(line))).toContain('exp/power split not identified (minima 2 % apart)');
  });
});
