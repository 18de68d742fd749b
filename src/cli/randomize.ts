import type { Command } from 'commander';
import { config, quiet, seed } from '../config/index.js';
import { cacheDir, dtype, model, modelLoading, offline, revision } from '../config/index.js';
import { twinOut } from '../config/index.js';
import { UserError } from '../util/index.js';
import { addOptions, commandOptions } from './command.js';
import { checkOutputFolder } from './outputPath.js';
import { warnOn } from './io.js';
import type { CommandRegistration } from './command.js';

const specs = [model, revision, twinOut, seed, cacheDir, offline, dtype, quiet, config] as const;


/** `iw randomize`: save the untrained control of a model, every weight re-drawn the way its architecture initializes it. */
export const registerRandomize: CommandRegistration = (program, io) => {
  const command: Command = program
    .command('randomize')
    .description('write an untrained twin of --model to --out: every weight re-drawn as the architecture initializes it (seeded by --seed), in the same hub layout, with a note in its config.json');
  addOptions(command, specs);
  command.action(async () => {
    const options = commandOptions(command, specs);
    if (!options.model) throw new UserError('iw randomize needs --model (a model folder or hub id, e.g. Xenova/gpt2)');
    if (!options.out) throw new UserError('iw randomize needs --out DIR (a new folder for the untrained twin)');
    checkOutputFolder(options.out, warnOn(io));
    const { resolveModel } = await import('../model/index.js');
    const { writeRandomizedModel } = await import('../model/index.js');
    const resolved = await resolveModel(modelLoading({ ...options, model: options.model }));
    const twin = await writeRandomizedModel(resolved, { seed: options.seed, out: options.out, quiet: options.quiet });
    if (options.quiet) return;
    for (const [file, summary] of Object.entries(twin.summaries)) {
      const weights = summary.tensors.reduce((n, t) => n + t.elements, 0);
      io.stderr(`iw: ${file}: ${summary.tensors.length} tensors re-drawn (${weights.toLocaleString('en-US')} weights), ${summary.kept.length} constants kept\n`);
    }
    const main = Object.values(twin.summaries)[0];
    io.stderr(`iw: ${main.method}\n`);
    io.stderr(`iw: wrote the untrained twin of ${options.model} (seed ${options.seed}) to ${twin.folder} in ${twin.seconds.toFixed(1)} s\n`);
  });
};
