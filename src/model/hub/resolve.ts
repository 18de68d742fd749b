import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UserError } from '../../util/index.js';
import type { Dtype, ResolveModelOptions, ResolvedModel } from '../types.js';
import { chooseLayout, describeCandidates, dtypesPresent } from './onnxLayout.js';
import { fetchHubModel } from './hubCache.js';
import { contextLength, modelType, type ModelConfig } from './modelConfig.js';
import { fileSha256 } from './fileDigest.js';

/** Bare GPT-2 names: they mean the transformers.js exports (Xenova/<name>). */
const BARE_HUB_NAMES = new Map([
  ['gpt2', 'Xenova/gpt2'],
  ['gpt2-medium', 'Xenova/gpt2-medium'],
  ['gpt2-large', 'Xenova/gpt2-large'],
  ['gpt2-xl', 'Xenova/gpt2-xl'],
  ['distilgpt2', 'Xenova/distilgpt2'],
]);

const HUB_ID = /^[\w\-.]{1,96}(\/[\w\-.]{1,96})?$/;

export function hubIdFor(model: string): string {
  return BARE_HUB_NAMES.get(model) ?? model;
}

/**
 * --model → a folder in hub layout with the ONNX files chosen. A local folder is used as it is; anything else
 * is a hub id at --revision (default main), fetched into the cache and checked (hubCache.ts). Bare GPT-2 names mean the transformers.js exports
 * (Xenova/<name>), as in transformers.js itself.
 */
export async function resolveModel(options: ResolveModelOptions): Promise<ResolvedModel> {
  const dtype = chooseDtype(options.model, options.dtype, options.notice);
  const folder = localFolder(options.model);
  if (folder && options.revision !== undefined) {
    throw new UserError(`--revision ${options.revision}: --model ${options.model} is a local folder; --revision chooses a version of a hub id`);
  }
  if (folder) return resolveFolder(options.model, folder, dtype, options.graphOnly ?? false);
  const atRevision = /^([^@]+)@([^@]+)$/.exec(options.model);
  if (atRevision && HUB_ID.test(atRevision[1])) {
    throw new UserError(`--model ${options.model}: give the revision with --revision (--model ${atRevision[1]} --revision ${atRevision[2]})`);
  }
  if (looksLikePath(options.model) || !HUB_ID.test(options.model)) {
    throw new UserError(`--model ${options.model}: no such folder (a model is a folder with config.json, tokenizer.json and onnx/*.onnx, or a hub id such as Xenova/gpt2)`);
  }
  const hubId = hubIdFor(options.model);
  const snapshot = await fetchHubModel(hubId, { cacheDir: options.cacheDir, offline: options.offline, revision: options.revision, dtype, quiet: options.quiet });
  const resolved = await resolveFolder(options.model, snapshot.folder, dtype, false);
  const checked = snapshot.sha256.get(relative(snapshot.folder, resolved.onnxPath).split(sep).join('/'));
  return {
    ...resolved,
    hubId,
    revision: snapshot.revision,
    ...(snapshot.commit ? { commit: snapshot.commit } : {}),
    // Hashed when the cached file was checked: not read a second time for the report.
    ...(checked ? { sha256: () => Promise.resolve(checked) } : {}),
  };
}

/** Folders whose dtype was chosen with a notice already (one notice per folder and process). */
const noticed = new Set<string>();

/**
 * The dtype to run when none is asked for. A local folder whose onnx/ holds files of one dtype only runs that
 * one, saying so in one line; one holding several runs fp32 if it is among them, and is refused (exit 2, listing
 * them) if not; a hub id runs fp32 (its repo is not listed before the download).
 */
export function chooseDtype(model: string, asked: Dtype | undefined, notice: (line: string) => void = (line) => process.stderr.write(line)): Dtype {
  if (asked) return asked;
  const folder = localFolder(model);
  const onnxDir = folder && join(folder, 'onnx');
  if (!onnxDir || !existsSync(onnxDir)) return 'fp32';
  const present = dtypesPresent(readdirSync(onnxDir).map((f) => `onnx/${f}`));
  if (present.length === 0 || present.includes('fp32')) return 'fp32';
  if (present.length > 1) {
    throw new UserError(`${folder} holds no fp32 model (onnx/model.onnx) but files for several dtypes: ${present.join(', ')}; choose one with --dtype`);
  }
  if (!noticed.has(onnxDir)) notice(`iw: ${folder}: running its only dtype, ${present[0]} (no fp32 file; --dtype ${present[0]} says so and silences this)\n`);
  noticed.add(onnxDir);
  return present[0];
}

function localFolder(model: string): string | undefined {
  const path = resolve(model);
  return existsSync(path) && statSync(path).isDirectory() ? path : undefined;
}

function looksLikePath(model: string): boolean {
  return isAbsolute(model) || model.startsWith('.') || model.startsWith('~') || model.split('/').length > 2;
}

/** A folder in hub layout → the model's files; `graphOnly`: no tokenizer needed (one that is there is still read). */
async function resolveFolder(id: string, folder: string, dtype: Dtype, graphOnly: boolean): Promise<ResolvedModel> {
  const config = readJson(folder, 'config.json');
  const hasTokenizer = existsSync(join(folder, 'tokenizer.json'));
  if (!hasTokenizer && !graphOnly) throw new UserError(missingFile(folder, 'tokenizer.json'));
  const tokenizerConfig = hasTokenizer || existsSync(join(folder, 'tokenizer_config.json')) ? readJson(folder, 'tokenizer_config.json') : {};
  const choice = await chooseLayout(dtype, (file) => existsSync(join(folder, file)));
  if (!choice) throw new UserError(noOnnxMessage(folder, dtype));
  const context = contextLength(config, tokenizerConfig);
  if (!context) throw new UserError(`${join(folder, 'config.json')} gives no context length (n_positions or max_position_embeddings)`);
  const onnxPath = join(folder, choice.onnxFile);
  let digest: Promise<string> | undefined;
  return {
    id,
    localPath: folder,
    config,
    architecture: modelType(config),
    contextLength: context,
    dtype,
    layout: choice.layout,
    onnxPath,
    withPastPath: choice.withPastFile ? join(folder, choice.withPastFile) : undefined,
    sha256: () => (digest ??= fileSha256(onnxPath)),
  };
}

function missingFile(folder: string, name: string): string {
  return `${folder} has no ${name}: a model folder needs config.json, tokenizer.json, tokenizer_config.json and onnx/*.onnx`;
}

function readJson(folder: string, name: string): ModelConfig {
  const path = join(folder, name);
  if (!existsSync(path)) throw new UserError(missingFile(folder, name));
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as ModelConfig;
  } catch (error) {
    throw new UserError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  throw new UserError(`${path} must hold a JSON object`);
}

function noOnnxMessage(folder: string, dtype: Dtype): string {
  const onnxDir = join(folder, 'onnx');
  const present = existsSync(onnxDir) ? readdirSync(onnxDir).map((f) => `onnx/${f}`) : [];
  const usable = dtypesPresent(present);
  const hint = usable.length > 0 ? `; it has files for --dtype ${usable.join(', ')}` : present.length > 0 ? `; onnx/ holds ${present.join(', ')}` : '; it has no onnx/ folder';
  return `${folder} has no ONNX file for --dtype ${dtype} (looked for ${describeCandidates(dtype)})${hint}`;
}
