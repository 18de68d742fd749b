import { dirname } from 'node:path';
import { figuresOut } from '../config/index.js';
import { resolveOptions } from '../config/index.js';
import { labelReports, readReport, writePlots } from '../report/index.js';
import { folderInside, safePathSegment } from '../util/index.js';
import { addOptions } from './command.js';
import { checkOutputFolder } from './outputPath.js';
import { warnOn } from './io.js';
import type { CommandRegistration } from './command.js';

const specs = [figuresOut] as const;

/** iw plot REPORT... : the SVG figures and report.html of finished reports. */
export const registerPlot: CommandRegistration = (program, io) => {
  const command = program.command('plot')
    .summary('draw the figures (SVG) and report.html of finished reports')
    .description('Draw the figures of finished reports as SVG files (windows, parameters against depth, fits,\n' +
      'and the yoking profile and index when the report has yoking), plus one self-contained report.html.\n' +
      'Without --out each report\'s figures go beside it; with --out and several reports, into one subfolder each.')
    .argument('<reports...>', 'report.json files');
  addOptions(command, specs);
  command.action((paths: string[], flags: Record<string, unknown>) => {
    const options = resolveOptions(specs, flags);
    if (options.out !== undefined) checkOutputFolder(options.out, warnOn(io));
    const reports = labelReports(paths.map((path) => ({ path, report: readReport(path) })));
    const folders = folderNames(reports.map((r) => r.label));
    for (const [i, { path, report }] of reports.entries()) {
      const dir = options.out === undefined ? dirname(path) : reports.length === 1 ? options.out : folderInside(options.out, folders[i]);
      const files = writePlots(report, dir);
      io.stdout(`${path}: wrote ${files.length} files to ${dir}\n`);
    }
  });
};

/**
 * Each report's subfolder under --out: its label as a safe folder name (a label comes from the report's model id,
 * which a report from someone else may make `..`), numbered where two would be the same.
 */
function folderNames(labels: readonly string[]): string[] {
  const names = labels.map((label) => safePathSegment(label, 'report'));
  return names.map((name, i) => (names.indexOf(name) !== names.lastIndexOf(name) ? `${name}-${i + 1}` : name));
}
