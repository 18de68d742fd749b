import { json } from '../config/index.js';
import { figuresOut, labels } from '../config/index.js';
import { resolveOptions } from '../config/index.js';
import { comparisonJson, formatComparison, labelReports, readReport, writeComparison } from '../report/index.js';
import { UserError } from '../util/index.js';
import { addOptions } from './command.js';
import { checkOutputFolder } from './outputPath.js';
import { warnOn } from './io.js';
import type { CommandRegistration } from './command.js';

const specs = [figuresOut, labels, json] as const;

/** iw compare REPORT... : several reports side by side (a model, a checkpoint, its untrained twin). */
export const registerCompare: CommandRegistration = (program, io) => {
  const command = program.command('compare')
    .summary('put several reports side by side: one table, one set of plots')
    .description('Put several reports side by side (e.g. a model, its step-400 checkpoint and its untrained twin):\n' +
      'parameters per layer in one table on stdout; with --out, the parameter-against-depth figures with one line\n' +
      'per report, compare.csv and compare.html.')
    .argument('<reports...>', 'report.json files, two or more');
  addOptions(command, specs);
  command.action((paths: string[], flags: Record<string, unknown>) => {
    const options = resolveOptions(specs, flags);
    if (paths.length < 2) throw new UserError('iw compare needs two or more reports (for one report, use iw plot)');
    if (options.out) checkOutputFolder(options.out, warnOn(io));
    const reports = labelReports(paths.map((path) => ({ path, report: readReport(path) })), options.labels);
    io.stdout(options.json ? comparisonJson(reports) : formatComparison(reports));
    const { out } = options;
    if (out) {
      const files = writeComparison(reports, out);
      if (!options.json) io.stdout(`\nwrote ${files.length} files to ${out}: ${files.map((f) => f.slice(out.length).replace(/^[/\\]/, '')).join(', ')}\n`);
    }
  });
};
