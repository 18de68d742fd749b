import { describe, expect, it } from 'vitest';
import { fitsCsv, windowsCsv, yokingCsv } from '../../src/report/index.js';
import { csvText } from '../../src/report/csv.js';
import { syntheticReport, syntheticUnitFits } from './helpers/syntheticReport.js';

/** Reads the CSVs back the way pandas or R would see them: header names, then rows of cells. */
function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const [header, ...rows] = text.trimEnd().split('\n').map((line) => line.split(','));
  return { header, rows };
}

describe('windows.csv', () => {
  it('has one row per layer and lag holding the report\'s population and unit windows', () => {
    const report = syntheticReport({ layerCount: 4, maxLag: 6 });
    const { header, rows } = parseCsv(windowsCsv(report));
    expect(header).toEqual(['layer', 'lag', 'window', 'unit_median', 'unit_q25', 'unit_q75']);
    expect(rows).toHaveLength(4 * 7);
    const row = rows.find(([layer, lag]) => layer === '2' && lag === '3')!;
    expect(row.slice(2).map(Number)).toEqual([report.layers[2].window[3], report.layers[2].unitWindow.median[3], report.layers[2].unitWindow.q25[3], report.layers[2].unitWindow.q75[3]]);
  });
});

describe('fits.csv', () => {
  it('writes every unit with its status, and NA where a unit was not fitted', () => {
    const report = syntheticReport({ layerCount: 3 });
    const units = syntheticUnitFits(report);
    const { header, rows } = parseCsv(fitsCsv(units));
    expect(header).toEqual(['layer', 'unit', 'status', 'a', 'b', 'c', 'sse', 'identified']);
    expect(rows).toHaveLength(3 * 4);
    expect(rows.find(([layer, unit]) => layer === '1' && unit === '3')).toEqual(['1', '3', 'excluded', 'NA', 'NA', 'NA', 'NA', 'NA']);
    const fitted = units[1].units[1];
    expect(rows.find(([layer, unit]) => layer === '1' && unit === '1')).toEqual(['1', '1', 'ok', String(fitted.a), String(fitted.b), String(fitted.c), String(fitted.sse), 'FALSE']);
  });

  it('refuses a fitted unit whose parameter is not a number (a bug upstream, not a missing value)', () => {
    expect(() => fitsCsv([{ layer: 2, units: [{ unit: 5, status: 'ok', a: NaN, b: 1, c: 0.5, sse: 0.1, identified: true }] }]))
      .toThrow('fits.csv: layer 2 unit 5 is "ok" but its a is NaN');
  });
});

describe('yoking.csv', () => {
  it('marks sentence starts and writes F, NA where F is undefined', () => {
    const report = syntheticReport({ layerCount: 3, yoking: true });
    const { header, rows } = parseCsv(yokingCsv(report)!);
    expect(header).toEqual(['layer', 'position', 'is_sentence_start', 'f']);
    expect(rows).toHaveLength(3 * 60);
    const layer2 = rows.filter(([layer]) => layer === '2');
    expect(layer2.filter((r) => r[2] === 'TRUE').map((r) => Number(r[1]))).toEqual([0, 12, 24, 36, 48]);
    expect(layer2[0][3]).toBe('NA'); // F(0) needs a swap at k − 1 = −1
    expect(Number(layer2[12][3])).toBe(report.layers[2].yoking!.profile[12]);
  });

  it('is not written without yoking', () => {
    expect(yokingCsv(syntheticReport())).toBeUndefined();
  });
});

describe('csvText', () => {
  it('quotes text with commas or quotes and refuses non-finite numbers', () => {
    expect(csvText(['label'], [['a, "b"']])).toBe('label\n"a, ""b"""\n');
    expect(() => csvText(['x'], [[Infinity]])).toThrow(/not a finite number/);
  });
});

describe('text that would start a spreadsheet formula (OWASP CSV injection)', () => {
  it('gets a leading single quote and quotes: =, +, -, @, tab and CR first', () => {
    expect(csvText(['label'], [['=HYPERLINK("http://x","y")']])).toBe('label\n"\'=HYPERLINK(""http://x"",""y"")"\n');
    expect(csvText(['label'], [['+1+A1'], ['-2+3'], ['@SUM(A1)'], ['\tx'], ['\rx'], ['=1']]))
      .toBe('label\n"\'+1+A1"\n"\'-2+3"\n"\'@SUM(A1)"\n"\'\tx"\n"\'\rx"\n"\'=1"\n');
  });

  it('leaves numbers alone, negative ones included, whether numbers or text', () => {
    expect(csvText(['x', 'y', 'z', 'w'], [[-0.5, '-0.5', '+3', '-1e-7'], [-12, '.5', 'a=b', 'x-y']])).toBe('x,y,z,w\n-0.5,-0.5,+3,-1e-7\n-12,.5,a=b,x-y\n');
  });
});
