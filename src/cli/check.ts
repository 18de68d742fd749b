import { json } from '../config/index.js';
import { baseline, ignoreSettings, tolerance } from '../config/index.js';
import { resolveOptions } from '../config/index.js';
import { checkReportFiles, checkResultJson, formatCheckResult } from '../report/index.js';
import { UserError } from '../util/index.js';
import { addOptions } from './command.js';
import type { CommandRegistration } from './command.js';

const specs = [baseline, tolerance, ignoreSettings, json] as const;

/** iw check REPORT --baseline BASELINE: the CI gate. Exit 0 within tolerance, 1 on drift, 2 for unusable input. */
export const registerCheck: CommandRegistration = (program, io, setExitCode) => {
  const command = program.command('check')
    .summary('compare a fresh report with a stored baseline (CI gate)')
    .description('Compare a fresh report with a stored baseline, layer by layer, on the fitted parameters and yoking.\n' +
      'Exit 0 when everything is within tolerance, 1 when something drifted, 2 when the reports cannot be compared\n' +
      '(different models, layers or settings) or an input is unusable.')
    .argument('<report>', 'the fresh report.json');
  addOptions(command, specs);
  command.action((reportPath: string, flags: Record<string, unknown>) => {
    const options = resolveOptions(specs, flags);
    if (!options.baseline) throw new UserError('iw check needs --baseline <report>: the stored report.json to compare with');
    const names = { report: reportPath, baseline: options.baseline };
    const { result, maxLag } = checkReportFiles(reportPath, options.baseline, { tolerancePath: options.tolerance, ignoreSettings: options.ignoreSettings });
    io.stdout(options.json ? checkResultJson(result, names) : formatCheckResult(result, names, maxLag));
    if (!result.passed) setExitCode(1);
  });
};
