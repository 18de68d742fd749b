import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { comparisonFigures, labelReports, writeReportFiles, type Figure } from '../../src/report/index.js';
import { layerColor } from '../../src/report/plot/colors.js';
import { describeWithChromium, dumpDom, screenshot } from './helpers/chromium.js';
import { countColor, cropRows, inkFraction, readPng } from './helpers/png.js';
import { syntheticReport, syntheticUnitFits } from './helpers/syntheticReport.js';

/**
 * What a reader sees: the figures and report.html rendered by a real browser. Screenshots must show a drawing
 * (not a blank or broken page), and a script run in the page checks that no text is cut off by its figure's edge
 * or printed over another text.
 */
const layoutProbe = `
<pre id="result"></pre>
<script>
const problems = [];
for (const svg of document.querySelectorAll('svg')) {
  const name = svg.querySelector('title').textContent;
  const frame = svg.getBoundingClientRect();
  const boxes = [...svg.querySelectorAll('text')].map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() }));
  for (const { text, r } of boxes) {
    if (r.left < frame.left - 0.5 || r.right > frame.right + 0.5 || r.top < frame.top - 0.5 || r.bottom > frame.bottom + 0.5) problems.push(name + ': "' + text + '" sticks out of the figure');
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i].r, boxes[j].r];
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      // Glyph boxes include line spacing; only a real overlap (more than a sliver) counts.
      if (w > 1 && h > 3) problems.push(name + ': "' + boxes[i].text + '" overlaps "' + boxes[j].text + '"');
    }
  }
}
document.getElementById('result').textContent = JSON.stringify({ figures: document.querySelectorAll('svg').length, problems });
</script>`;

function layoutProblems(dir: string, figures: readonly Figure[]): { figures: number; problems: string[] } {
  const page = join(dir, 'layout.html');
  writeFileSync(page, `<!DOCTYPE html><html><body style="margin:0">${figures.map((f) => `<div>${f.svg}</div>`).join('')}${layoutProbe}</body></html>`);
  const dom = dumpDom(page);
  const match = /<pre id="result">([^<]*)<\/pre>/.exec(dom);
  if (!match) throw new Error(`the layout probe did not run; chromium returned: ${dom.slice(0, 300)}`);
  return JSON.parse(match[1].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
}

describeWithChromium('figures rendered by headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iw-render-'));
  const report = syntheticReport({ layerCount: 13, bootstrap: true, yoking: true, comparison: true });
  const { files } = writeReportFiles(report, dir, { unitFits: syntheticUnitFits(report) });
  const svgFiles = files.filter((f) => f.endsWith('.svg'));

  it('draws every figure: ink on the page, the depth colours of the first and last layers in the windows plot', () => {
    expect(svgFiles).toHaveLength(5);
    // One screenshot of all figures stacked (one browser start instead of five); each figure is judged in its band.
    const svgs = svgFiles.map((file) => readFileSync(file, 'utf8'));
    const heights = svgs.map((svg) => Math.ceil(Number(/height="([\d.]+)"/.exec(svg)![1])));
    const page = join(dir, 'stacked.html');
    writeFileSync(page, `<!DOCTYPE html><html><body style="margin:0">${svgs.map((svg, i) => `<div style="height:${heights[i]}px;overflow:hidden">${svg}</div>`).join('')}</body></html>`);
    const png = join(dir, 'stacked.png');
    screenshot(page, png, 680, heights.reduce((sum, h) => sum + h, 0));
    const image = readPng(png);
    expect(image.width).toBe(680);
    let top = 0;
    svgFiles.forEach((file, i) => {
      const band = cropRows(image, top, heights[i]);
      top += heights[i];
      const ink = inkFraction(band);
      expect(ink, file).toBeGreaterThan(0.03);
      expect(ink, file).toBeLessThan(0.5);
      if (file.endsWith('windows.svg')) {
        expect(countColor(band, layerColor(0, 0, 12))).toBeGreaterThan(100);
        expect(countColor(band, layerColor(12, 0, 12))).toBeGreaterThan(100);
      }
    });
  });

  it('lays out text without clipping or overlap, for one report and for a comparison', () => {
    const figures = files.filter((f) => f.endsWith('.svg')).map((f) => ({ file: f, title: '', caption: '', svg: readFileSync(f, 'utf8') }));
    const compared = comparisonFigures(labelReports([
      { path: 'a/report.json', report },
      { path: 'b/report.json', report: syntheticReport({ layerCount: 7, bootstrap: true, yoking: true, modelId: 'org/a-much-longer-model-name-step400' }) },
      { path: 'c/report.json', report: { ...syntheticReport({ layerCount: 13, yoking: true }), settings: { seed: 1, maxLag: 20, untrained: true } } },
    ]));
    // A deliberately broken figure shows the probe can see what it looks for.
    const broken = { file: 'broken.svg', title: '', caption: '', svg: '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><title>broken</title><text x="-30" y="50" font-size="12">cut</text><text x="100" y="50" font-size="12">one</text><text x="104" y="52" font-size="12">two</text></svg>' };
    const result = layoutProblems(dir, [...figures, ...compared, broken]);
    expect(result.figures).toBe(8);
    expect(result.problems).toEqual(['broken: "cut" sticks out of the figure', 'broken: "one" overlaps "two"']);
  });

  it('shows report.html with its tables and figures inline', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html.match(/<svg /g)).toHaveLength(5);
    expect(html).not.toMatch(/<(img|script|link)\b/);
    const png = join(dir, 'report-html.png');
    screenshot(join(dir, 'report.html'), png, 800, 1400);
    expect(inkFraction(readPng(png))).toBeGreaterThan(0.05);
  });
});
