import type { Command } from 'commander';
import { config, quiet, seed } from '../config/index.js';
import { activationsOut, cacheDir, device, dtype, layers, model, modelLoading, offline, perWord, prefixSpace, revision, taps, text, threads, untrained } from '../config/index.js';
import { writeFileAtomic } from '../util/index.js';
import { UserError } from '../util/index.js';
import { addOptions, commandOptions } from './command.js';
import { checkOutputFile } from './outputPath.js';
import { warnOn } from './io.js';
import type { CommandRegistration } from './command.js';

const specs = [model, revision, text, layers, taps, perWord, prefixSpace, activationsOut, cacheDir, offline, dtype, threads, device, untrained, seed, quiet, config] as const;


/** `iw activations`: every requested layer's vectors for a text, per token or per word, as JSON. */
export const registerActivations: CommandRegistration = (program, io) => {
  const command: Command = program
    .command('activations')
    .description('write the tokens of --text and each requested layer\'s vectors (per token, or per word with --per-word) as JSON');
  addOptions(command, specs);
  command.action(async () => {
    const options = commandOptions(command, specs);
    if (!options.model) throw new UserError('iw activations needs --model (a model folder or hub id, e.g. Xenova/gpt2)');
    if (!options.text) throw new UserError('iw activations needs --text "some words"');
    if (!options.out) throw new UserError('iw activations needs --out FILE (where to write the JSON)');
    checkOutputFile(options.out, warnOn(io));
    const { chooseLayers, loadModel, textActivations } = await import('../model/index.js');
    const lm = await loadModel(modelLoading({ ...options, model: options.model }));
    try {
      const wanted = chooseLayers(lm, options.layers, { oneWidth: false });
      const report = await textActivations(lm, options.text, wanted, options.perWord);
      writeFileAtomic(options.out, `${JSON.stringify(report)}\n`);
      const unit = report.words ? `${report.words.length} words` : `${report.tokens.length} tokens`;
      if (!options.quiet) io.stderr(`iw: wrote ${unit} × ${wanted.length} layers of ${options.model} to ${options.out}\n`);
    } finally {
      await lm.dispose();
    }
  });
};
