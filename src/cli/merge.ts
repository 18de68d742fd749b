import { z } from 'zod';
import { json, quiet } from '../config/index.js';
import { force, plots } from '../config/index.js';
import { defineOption } from '../config/index.js';
import { cacheDir, threads } from '../config/index.js';
import { formatReportTable, serializeReport } from '../report/index.js';
import { addOptions, commandOptions, typedOptionValues } from './command.js';
import { checkOutputFolder } from './outputPath.js';
import { warnOn } from './io.js';
import type { CommandRegistration } from './command.js';

const mergeOut = defineOption({
  name: 'out',
  effect: 'output',
  flag: '--out <dir>',
  description: 'folder for report.json, CSVs, plots and stimuli.json, as iw estimate writes them',
  schema: z.string().min(1, { error: 'must name a folder' }),
});

const specs = [mergeOut, force, threads, cacheDir, plots, json, quiet] as const;

const MERGE_HELP = `
Examples:
  iw merge parts/1 parts/2 parts/3 --out runs/merged      the --out folders of iw estimate --shard 1/3, 2/3, 3/3
  iw merge parts/*/iw-partial-*.iwp --out runs/merged      or the partial files themselves, in any order

Checks that the parts are of one run (same model, stimuli, settings and iw version) and cover every sequence
exactly once, naming any shard that is missing, given twice, unfinished or from another run (exit 2). The
analysis settings (seed, bootstrap, lags) come from the parts; --threads and --cache-dir are this machine's. The report equals the one a single machine
writes for the same command, with the shards listed in provenance.shards. See docs/sharding.md.`;

/** iw merge PART... --out DIR: the report of a run measured in shards. */
export const registerMerge: CommandRegistration = (program, io) => {
  const command = program.command('merge')
    .summary('merge the partial results of iw estimate --shard into one report')
    .description('Merge the partial results of a run split with iw estimate --shard K/N into the report one machine would have written.')
    .argument('<parts...>', 'partial files (.iwp) or the --out folders of the shards')
    .addHelpText('after', MERGE_HELP);
  addOptions(command, specs);
  command.action(async (parts: string[]) => {
    const options = commandOptions(command, specs);
    // Loaded here, not at the top, so that `iw --help` and the other report commands never load ONNX Runtime.
    const { mergeParts, openRunFolder, writeRunFolder } = await import('../pipeline/index.js');
    const out = options.out ?? 'iw-merged';
    checkOutputFolder(out, warnOn(io));
    const folder = openRunFolder(out, options.force);
    const run = await mergeParts(parts, { ...typedOptionValues(command), out }, { progressStream: io.stderrIsTTY ? process.stderr : undefined });
    const files = writeRunFolder(run, folder, { plots: options.plots });
    const shards = run.report.provenance.shards ?? [];
    if (options.json) {
      io.stdout(serializeReport(run.report));
    } else {
      io.stdout(formatReportTable(run.report));
      io.stdout(`\nmerged ${shards.length} shards (${run.report.stimuli.sequences} sequences); wrote ${files.length} files to ${out}/\n`);
    }
  });
};
