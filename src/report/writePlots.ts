import { fileInside } from '../util/index.js';
import { writeFileAtomic } from '../util/index.js';
import { reportFigures } from './plot/reportFigures.js';
import { reportHtml } from './reportHtml.js';
import type { Report } from './schema.js';

/** Writes every figure of a report as SVG into `dir`, plus report.html showing them with the tables. Returns the paths written. */
export function writePlots(report: Report, dir: string): string[] {
  const figures = reportFigures(report);
  const written: string[] = [];
  for (const figure of figures) {
    const path = fileInside(dir, figure.file);
    writeFileAtomic(path, figure.svg);
    written.push(path);
  }
  const page = fileInside(dir, 'report.html');
  writeFileAtomic(page, reportHtml(report, figures));
  written.push(page);
  return written;
}
