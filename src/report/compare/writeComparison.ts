import { fileInside } from '../../util/index.js';
import { writeFileAtomic } from '../../util/index.js';
import { csvText } from '../csv.js';
import { escapeHtml, htmlFigure, htmlPage, htmlTable } from '../html.js';
import type { ComparedReport } from './comparedReport.js';
import { comparisonFigures } from './compareFigures.js';
import { comparisonBlocks, comparisonRows } from './compareTable.js';

/** `iw compare --out DIR`: the figures as SVG, compare.csv (tidy) and compare.html (tables and figures). Returns the paths written. */
export function writeComparison(reports: readonly ComparedReport[], dir: string): string[] {
  const figures = comparisonFigures(reports);
  const files: [string, string][] = figures.map((f) => [f.file, f.svg]);
  files.push(['compare.csv', csvText(['label', 'report', 'layer', 'layer_count', 'max_lag', 'quantity', 'value', 'low', 'high'], comparisonRows(reports))]);
  const withIntervals = reports.some((r) => r.report.bootstrap);
  const tables = comparisonBlocks(reports, withIntervals).flatMap((block) => [
    `<h3>${escapeHtml(block.title)}</h3>`,
    `<div class="wide">${htmlTable(block.headers, block.rows, new Set(block.headers.map((_, i) => i)))}</div>`,
  ]);
  const list = reports.map((r) => `<li><b>${escapeHtml(r.label)}</b>: ${escapeHtml(r.path)} (${escapeHtml(r.report.model.id)}, ${r.report.model.layerCount} layers, seed ${r.report.settings.seed})</li>`);
  files.push(['compare.html', htmlPage('iw comparison', [
    '<h1>Integration windows compared</h1>',
    `<ul>${list.join('')}</ul>`,
    '<h2>Figures</h2>',
    ...figures.map((f) => htmlFigure(f.svg, f.caption)),
    '<h2>Per layer</h2>',
    ...tables,
  ])]);
  return files.map(([name, text]) => {
    const path = fileInside(dir, name);
    writeFileAtomic(path, text);
    return path;
  });
}
