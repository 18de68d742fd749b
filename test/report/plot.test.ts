import { describe, expect, it } from 'vitest';
import { comparisonFigures, labelReports, reportFigures, type Figure, type Report } from '../../src/report/index.js';
import { layerColor } from '../../src/report/plot/colors.js';
import { syntheticReport } from './helpers/syntheticReport.js';
import { allElements, parseXml, textContent, type XmlElement } from './helpers/xml.js';

const figureNamed = (figures: Figure[], file: string) => {
  const figure = figures.find((f) => f.file === file);
  if (!figure) throw new Error(`no ${file} among ${figures.map((f) => f.file).join(', ')}`);
  return parseXml(figure.svg);
};
const withClass = (root: XmlElement, name: string) => allElements(root).filter((e) => e.attributes.class === name);
const texts = (root: XmlElement) => allElements(root).filter((e) => e.name === 'text').map(textContent);

describe('figures of one report', () => {
  const full = syntheticReport({ layerCount: 13, bootstrap: true, yoking: true, comparison: true });
  const figures = reportFigures(full);

  it('are well-formed SVG documents of page width with a title, and text no smaller than 11 px', () => {
    expect(figures.map((f) => f.file)).toEqual(['windows.svg', 'parameters.svg', 'fits.svg', 'yoking-index.svg', 'yoking-profile.svg']);
    for (const figure of figures) {
      const svg = parseXml(figure.svg);
      expect(svg.name).toBe('svg');
      expect(Number(svg.attributes.width)).toBeGreaterThanOrEqual(640);
      expect(Number(svg.attributes.width)).toBeLessThanOrEqual(720);
      expect(svg.attributes.viewBox).toBe(`0 0 ${svg.attributes.width} ${svg.attributes.height}`);
      expect(textContent(svg.children.find((c) => c.name === 'title')!)).toBe(figure.title);
      const sizes = allElements(svg).map((e) => e.attributes['font-size']).filter(Boolean).map(Number);
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(11);
    }
  });

  it('windows.svg: one line per layer, coloured by depth, with axis labels and a layer key', () => {
    const svg = figureNamed(figures, 'windows.svg');
    const series = withClass(svg, 'series');
    expect(series.map((s) => s.attributes['data-label'])).toEqual(full.layers.map((l) => `layer ${l.layer}`));
    expect(series[0].children[0].attributes.stroke).toBe(layerColor(0, 0, 12));
    expect(series[12].children[0].attributes.stroke).toBe(layerColor(12, 0, 12));
    expect(texts(svg)).toEqual(expect.arrayContaining(['lag Δ (words from the swapped word to the measured word)', 'window (effect ÷ effect at lag 0)', 'layer', '0', '12']));
  });

  it('windows.svg draws the report\'s numbers where the axis says they are', () => {
    const svg = figureNamed(figures, 'windows.svg');
    // The y tick labels "0" and "1" sit 4 px below their ticks (axes.ts); every other value maps linearly.
    const yTicks = allElements(svg).filter((e) => e.name === 'text' && e.attributes['text-anchor'] === 'end');
    const tickY = (label: string) => Number(yTicks.find((t) => textContent(t) === label)!.attributes.y) - 4;
    const [y0, y1] = [tickY('0'), tickY('1')];
    const layer5 = withClass(svg, 'series')[5].children[0].attributes.d;
    const drawnY = [...layer5.matchAll(/[ML][\d.-]+ ([\d.-]+)/g)].map((m) => Number(m[1]));
    expect(drawnY).toHaveLength(21);
    drawnY.forEach((y, lag) => expect(y).toBeCloseTo(y0 + (y1 - y0) * full.layers[5].window[lag], 1));
  });

  it('parameters.svg: a, b, c with population and unit-median lines, the half-decay lag with the population line, and error bars', () => {
    const svg = figureNamed(figures, 'parameters.svg');
    const labels = withClass(svg, 'series').map((s) => s.attributes['data-label']);
    expect(labels).toEqual([
      ...Array(3).fill(['population fit (bars: 95 % bootstrap interval)', 'median over units (bars: quartiles)']).flat(),
      'population fit (bars: 95 % bootstrap interval)',
    ]);
    // Every layer has a bootstrap interval for a, b, c and quartiles for the unit medians; the half-decay lag's
    // interval is [null, null] for layer 12 (beyond maxLag), so it has no bar there.
    expect(withClass(svg, 'error-bar')).toHaveLength(13 * 6 + 12);
    expect(texts(svg)).toEqual(expect.arrayContaining(['a: power-law exponent', 'b: exponential rate', 'c: weight of the power law', 'half-decay lag (words)', 'layer (0 = embedding output)', 'maxLag 20 (△ beyond)']));
  });

  it('parameters.svg without bootstrap: no bars on the population line', () => {
    const svg = parseXml(reportFigures(syntheticReport({ layerCount: 5 })).find((f) => f.file === 'parameters.svg')!.svg);
    const population = withClass(svg, 'series').filter((s) => s.attributes['data-label'] === 'population fit');
    expect(population).toHaveLength(4);
    expect(population.flatMap((s) => withClass(s, 'error-bar'))).toHaveLength(0);
  });

  it('fits.svg: a panel per layer, and the pure models in the legend when there is a comparison', () => {
    const svg = figureNamed(figures, 'fits.svg');
    expect(withClass(svg, 'panel').map((p) => p.attributes['data-label'])).toEqual(full.layers.map((l) => `layer ${l.layer}`));
    expect(texts(svg)).toEqual(expect.arrayContaining(['exponential only', 'power law only', 'lag Δ (words)']));
    expect(texts(parseXml(reportFigures(syntheticReport()).find((f) => f.file === 'fits.svg')!.svg))).not.toContain('exponential only');
  });

  it('yoking figures: a profile panel per layer with the onsets marked, and Y against depth with the layer-0 baseline', () => {
    const profile = figureNamed(figures, 'yoking-profile.svg');
    expect(withClass(profile, 'panel')).toHaveLength(13);
    expect(withClass(profile, 'onset')).toHaveLength(13 * 4); // onsets 12, 24, 36, 48 (0 has no F)
    const index = figureNamed(figures, 'yoking-index.svg');
    expect(withClass(index, 'series')).toHaveLength(2);
    expect(texts(index)).toContain(`layer 0 baseline (Y = ${full.layers[0].yoking!.median})`);
    expect(reportFigures(syntheticReport()).map((f) => f.file)).not.toContain('yoking-profile.svg');
  });

  it('are the same bytes every time', () => {
    expect(reportFigures(full).map((f) => f.svg)).toEqual(figures.map((f) => f.svg));
  });
});

describe('comparison figures', () => {
  const reports = (...made: Report[]) => labelReports(made.map((report, i) => ({ path: `run${i}/report.json`, report })));

  it('draw one line per report in every parameter panel', () => {
    const trained = syntheticReport({ bootstrap: true });
    const step400 = syntheticReport({ bootstrap: true, noiseSeed: 3, modelId: 'test/planted-step400' });
    const untrained = syntheticReport({ bootstrap: true });
    untrained.settings.untrained = true;
    const figures = comparisonFigures(reports(trained, step400, untrained));
    expect(figures.map((f) => f.file)).toEqual(['parameters.svg']);
    const labels = withClass(parseXml(figures[0].svg), 'series').map((s) => s.attributes['data-label']);
    expect(labels).toEqual(Array(4).fill(['planted-gpt2', 'planted-step400', 'planted-gpt2 (untrained)']).flat());
  });

  it('use relative depth when the models have different layer counts, and add yoking when all have it', () => {
    const figures = comparisonFigures(reports(syntheticReport({ layerCount: 13, yoking: true }), syntheticReport({ layerCount: 5, yoking: true, modelId: 'small' })));
    expect(figures.map((f) => f.file)).toEqual(['parameters.svg', 'yoking-index.svg']);
    expect(texts(parseXml(figures[0].svg))).toContain('relative depth (layer ÷ last layer)');
  });
});

describe('figures at the edges of what reports hold', () => {
  it('draw one layer with maxLag 1, and 49 layers with maxLag 200, as well-formed SVG', () => {
    for (const report of [syntheticReport({ layerCount: 1, maxLag: 1, yoking: true }), syntheticReport({ layerCount: 49, maxLag: 200, bootstrap: true, yoking: true, comparison: true })]) {
      for (const figure of reportFigures(report)) {
        const svg = parseXml(figure.svg);
        expect(svg.attributes.height, figure.file).toMatch(/^\d+(\.\d+)?$/);
        expect(figure.svg, figure.file).not.toMatch(/NaN|Infinity/);
      }
    }
  });
});
