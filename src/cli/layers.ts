import type { Command } from 'commander';
import { config, json, seed } from '../config/index.js';
import { cacheDir, dtype, model, modelLoading, offline, revision, taps as tapsOption, untrained } from '../config/index.js';
import type { LayerTap, ResolvedModel } from '../model/index.js';
import { UserError } from '../util/index.js';
import { textTable } from '../util/index.js';
import { addOptions, commandOptions } from './command.js';
import type { CommandRegistration } from './command.js';

const specs = [model, revision, cacheDir, offline, dtype, untrained, tapsOption, seed, json, config] as const;


/** `iw layers`: the layers iw finds in a model's ONNX graph, with tensor names and widths. */
export const registerLayers: CommandRegistration = (program, io) => {
  const command: Command = program
    .command('layers')
    .description('list the layers iw reads from a model (Hugging Face hidden_states convention: 0 = embedding output, last = final norm), with tensor names and widths');
  addOptions(command, specs);
  command.action(async () => {
    const options = commandOptions(command, specs);
    if (!options.model) throw new UserError('iw layers needs --model (a model folder or hub id, e.g. Xenova/gpt2)');
    const { resolveModel, findLayers } = await import('../model/index.js');
    const { untrainedTwin } = await import('../model/index.js');
    const trained = await resolveModel({ ...modelLoading({ ...options, model: options.model }), graphOnly: !options.untrained });
    const resolved = options.untrained ? await untrainedTwin(trained, options.seed, { cacheDir: options.cacheDir }) : trained;
    const taps = await findLayers(resolved, options.taps);
    io.stdout(options.json ? `${JSON.stringify(layersJson(resolved, taps), null, 2)}\n` : layersTable(resolved, taps));
  });
};

function layersJson(resolved: ResolvedModel, taps: readonly LayerTap[]) {
  return {
    model: resolved.id,
    architecture: resolved.architecture,
    onnxFile: resolved.onnxPath,
    layout: resolved.layout,
    dtype: resolved.dtype,
    contextLength: resolved.contextLength,
    layers: taps.map((t) => ({ layer: t.layer, tensor: t.tensor, width: t.width, role: t.role })),
  };
}

function layersTable(resolved: ResolvedModel, taps: readonly LayerTap[]): string {
  const header = `${resolved.id} (${resolved.architecture}, ${resolved.onnxPath}): ${taps.length} layers, Hugging Face hidden_states convention\n`;
  const columns = ['layer', 'role', 'width', 'tensor'].map((name) => ({ header: name, align: 'left' as const }));
  return header + textTable(columns, taps.map((t) => [String(t.layer), t.role, String(t.width), t.tensor]));
}
