import type { Command } from 'commander';
import { estimateOptionSpecs, type EstimateOptions } from '../config/index.js';
import { formatReportTable, serializeReport } from '../report/index.js';
import { refuseYokingOnlyOptions } from '../config/index.js';
import { addOptions, commandOptions } from './command.js';
import { checkOutputFolder } from './outputPath.js';
import type { CommandRegistration } from './command.js';
import type { CliIO } from './io.js';
import { warnOn } from './io.js';

const ESTIMATE_HELP = `
Examples:
  iw estimate                                   the shipped tiny GPT-2 on the shipped Emma excerpt
  iw estimate --model gpt2 --corpus text.txt    a hub model (cached) on your text
  iw estimate --model ./my-model --corpus brown/ --swap pos --sequences 60 --words 40 --out runs/brown
  iw estimate --stimuli runs/brown/stimuli.json --model ./other-model     same swaps, another model
  iw estimate --yoking --bootstrap 200          also structure yoking (sentences of 12 single-token words)
  iw estimate --stimuli s.json --shard 2/3 --out parts/2    shard 2 of 3: writes parts/2/iw-partial-2-of-3.iwp
  iw estimate --stimuli s.json --shard auto --out parts/$SLURM_ARRAY_TASK_ID   K and N from a Slurm array job
  iw merge parts/* --out runs/merged             the report one machine would have written

A run keeps a checkpoint in --out as it goes; after a kill, the same command continues from it (--restart
starts over, --no-checkpoint keeps none). See docs/sharding.md for cluster scripts.

Writes into --out: report.json (iw-report/1), windows.csv, fits.csv, stimuli.json, plots and report.html.
Prints a table per layer (or the report with --json). Exit codes: 0 done, 2 a problem with the input.`;

/** `iw estimate` (and `iw yoking`, the same run with yoking stimuli): the method end to end. */
export const registerEstimate: CommandRegistration = (program, io) => {
  const command: Command = program
    .command('estimate')
    .description('measure every layer\'s integration window: swap words, compare activations, fit c·(Δ+1)^−a + (1−c)·e^(−bΔ)')
    .addHelpText('after', ESTIMATE_HELP);
  addOptions(command, estimateOptionSpecs);
  command.action(async () => runEstimateCommand(command, io, {}));
};

export const registerYoking: CommandRegistration = (program, io) => {
  const command: Command = program
    .command('yoking')
    .description('structure yoking: does a swapped word\'s influence stop at sentence boundaries? (iw estimate --yoking)')
    .addHelpText('after', '\nSame options and outputs as iw estimate; stimuli are sentences of --sentence-words single-token words.');
  addOptions(command, estimateOptionSpecs.filter((spec) => spec.name !== 'yoking'));
  command.action(async () => runEstimateCommand(command, io, { yoking: true }));
};

async function runEstimateCommand(command: Command, io: CliIO, forced: Partial<EstimateOptions>): Promise<void> {
  const givenAt = new Map<string, string>();
  const options = commandOptions(command, estimateOptionSpecs, forced, givenAt);
  refuseYokingOnlyOptions(options.yoking, givenAt);
  // Loaded here, not at the top, so that `iw --help` and the report commands never load ONNX Runtime.
  const { defaultOutputFolder, estimate, estimateShard, openRunFolder, writeRunFolder } = await import('../pipeline/index.js');
  const startedAt = new Date();
  const out = options.out ?? defaultOutputFolder(options.model, startedAt);
  checkOutputFolder(out, warnOn(io));
  const hooks = { progressStream: io.stderrIsTTY ? process.stderr : undefined, notice: io.stderr };
  if (options.shard) {
    const shard = await estimateShard(options, out, hooks);
    const [from, to] = shard.sequences;
    io.stdout(`shard ${shard.shard.index}/${shard.shard.count}: sequences ${to > from ? `${from + 1}–${to}` : 'none (more shards than sequences)'}; wrote ${shard.partialPath}
` +
      `merge all ${shard.shard.count} parts with: iw merge PART... --out DIR
`);
    return;
  }
  const folder = openRunFolder(out, options.force);
  const run = await estimate(options, { ...hooks, checkpointDir: options.checkpoint ? out : undefined });
  const files = writeRunFolder(run, folder, { plots: options.plots });
  run.discardCheckpoint();
  if (options.json) {
    io.stdout(serializeReport(run.report));
  } else {
    io.stdout(formatReportTable(run.report));
    io.stdout(`\nwrote ${files.length} files to ${out}/ (report.json, windows.csv, fits.csv, stimuli.json${options.plots ? ', plots, report.html' : ''})\n`);
  }
}
