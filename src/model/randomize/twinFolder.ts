import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, relative, resolve } from 'node:path';
import { fsyncFolder, unpredictableTempPath } from '../../util/index.js';
import { removeOnInterrupt } from '../../util/index.js';
import { UserError } from '../../util/index.js';
import { fileInsideFolder } from '../../util/index.js';
import { fileSha256 } from '../hub/fileDigest.js';
import { Progress } from '../../util/index.js';
import type { ResolvedModel } from '../types.js';
import { randomizeModelInPlace } from './randomizeModel.js';
import type { ExternalWrite, RandomizationSummary, RandomizedModel } from './types.js';

export interface WriteTwinOptions {
  seed: number;
  /** The folder to create; it must not exist, or be empty. */
  out: string;
  /** No progress on stderr. */
  quiet?: boolean;
}

/**
 * Writes the untrained twin of a resolved model as a model folder in hub layout: config.json with an
 * "iw_untrained" note (seed, method, source), the tokenizer and other top-level files copied, and every ONNX
 * file of the chosen layout (model.onnx, or the decoder pair) rewritten at the same path, with copies of
 * its external data files. Everything is written into a temporary folder beside `out` that is renamed to `out`
 * when complete, so `out` never holds half a model.
 */
export async function writeRandomizedModel(resolved: ResolvedModel, options: WriteTwinOptions): Promise<RandomizedModel> {
  const startedAt = performance.now();
  const out = resolve(options.out);
  refuseOccupied(out);
  const copies = topLevelFilesToCopy(resolved.localPath);
  for (const file of onnxFilesOf(resolved)) readableFile(file, resolved.localPath);
  mkdirSync(dirname(out), { recursive: true });
  const temp = createTempFolder(out);
  const forgetTemp = removeOnInterrupt(temp);
  try {
    const summaries: Record<string, RandomizationSummary> = {};
    const weightFiles: string[] = [];
    for (const file of onnxFilesOf(resolved)) {
      const inside = pathInside(resolved.localPath, file);
      const written = await writeTwinFile(resolved, file, join(temp, inside), options);
      summaries[inside] = written.summary;
      weightFiles.push(inside, ...written.externalFiles.map((location) => join(dirname(inside), location)));
    }
    const main = summaries[pathInside(resolved.localPath, resolved.onnxPath)];
    writeConfig(resolved, join(temp, 'config.json'), {
      seed: options.seed,
      method: main.method,
      from: resolved.hubId ?? resolved.id,
      from_sha256: await resolved.sha256(),
      weights_sha256: await weightDigests(temp, weightFiles),
    });
    for (const [name, realPath] of copies) copyFileSync(realPath, join(temp, name));
    if (existsSync(out)) rmdirSync(out);
    chmodSync(temp, 0o777 & ~process.umask());
    renameSync(temp, out);
    fsyncFolder(dirname(out));
    return { folder: out, summaries, seconds: (performance.now() - startedAt) / 1000 };
  } finally {
    rmSync(temp, { recursive: true, force: true });
    forgetTemp();
  }
}

/**
 * Creates the folder the twin is written into, beside `out` under an unpredictable name, by this call (mkdir fails
 * on anything already there, a planted symlink included) and open to its owner only until it is renamed to `out`.
 */
function createTempFolder(out: string): string {
  const temp = unpredictableTempPath(out);
  mkdirSync(temp, { mode: 0o700 });
  return temp;
}

function refuseOccupied(out: string): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory() || readdirSync(out).length > 0) {
    throw new UserError(`--out ${out} already exists and is not an empty folder: give a new folder for the untrained twin`);
  }
}

function onnxFilesOf(resolved: ResolvedModel): string[] {
  return [resolved.onnxPath, ...(resolved.withPastPath ? [resolved.withPastPath] : [])];
}

/** The file's path inside the model folder ("onnx/model.onnx"). */
function pathInside(folder: string, file: string): string {
  const inside = relative(folder, file);
  return inside.startsWith('..') || isAbsolute(inside) ? join('onnx', basename(file)) : inside;
}

async function writeTwinFile(resolved: ResolvedModel, file: string, target: string, options: WriteTwinOptions): Promise<{ summary: RandomizationSummary; externalFiles: readonly string[] }> {
  const fileLabel = `${basename(resolved.localPath)}/${pathInside(resolved.localPath, file)}`;
  let progress: Progress | undefined;
  let shown = 0;
  const twin = randomizeModelInPlace(await readFile(file), {
    seed: options.seed,
    config: resolved.config,
    fileLabel,
    configLabel: join(resolved.localPath, 'config.json'),
    modelDir: dirname(file),
    onProgress: (done, total) => {
      progress ??= new Progress({ label: `randomizing ${fileLabel}`, total: Math.ceil(total / 1e6), unit: 'M weights', quiet: options.quiet });
      const now = Math.floor(done / 1e6);
      progress.tick(now - shown);
      shown = now;
    },
  });
  (progress as Progress | undefined)?.finish();
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, twin.bytes);
  copyExternalData(dirname(file), dirname(target), twin.externalFiles, twin.externalWrites);
  return { summary: twin.summary, externalFiles: twin.externalFiles };
}

/** Copies each external data file beside the twin and writes the re-drawn weights over their old bytes. */
function copyExternalData(sourceDir: string, targetDir: string, files: readonly string[], writes: readonly ExternalWrite[]): void {
  for (const location of files) {
    if (!location || isAbsolute(location) || normalize(location).startsWith('..')) {
      throw new UserError(`${sourceDir}: external data location ${JSON.stringify(location)} is not a file beside the model`);
    }
    mkdirSync(dirname(join(targetDir, location)), { recursive: true });
    copyFileSync(readableFile(join(sourceDir, location), sourceDir), join(targetDir, location));
  }
  for (const location of new Set(writes.map((w) => w.location))) {
    const handle = openSync(join(targetDir, location), 'r+');
    try {
      for (const write of writes) if (write.location === location) writeSync(handle, write.bytes, 0, write.bytes.length, write.offset);
    } finally {
      closeSync(handle);
    }
  }
}

/** The source's config.json, key order kept, with a note saying how the twin was made. */
function writeConfig(resolved: ResolvedModel, target: string, note: Record<string, unknown>): void {
  const config = JSON.parse(readFileSync(join(resolved.localPath, 'config.json'), 'utf8')) as Record<string, unknown>;
  config.iw_untrained = note;
  writeFileSync(target, `${JSON.stringify(config, null, 2)}\n`);
}

/**
 * Tokenizer and generation files to copy into the twin, as [name, real path]; not config.json (rewritten) nor a
 * README, which describes the trained model. Checked before anything is written: a file that is a link (to a
 * private file, say) is refused, not copied into a twin others may read.
 */
function topLevelFilesToCopy(source: string): [string, string][] {
  const copies: [string, string][] = [];
  for (const name of readdirSync(source)) {
    if (name === 'config.json' || /^readme/i.test(name) || name.startsWith('.') || !statSync(join(source, name)).isFile()) continue;
    copies.push([name, readableFile(join(source, name), source)]);
  }
  return copies;
}

/** The real path of a file of the model folder that may go into a twin (util/modelFolderFiles.ts), or a UserError. */
function readableFile(path: string, folder: string): string {
  const file = fileInsideFolder(path, folder);
  if ('problem' in file) throw new UserError(`${file.problem} (an untrained twin is made only of the model folder's own files)`);
  return file.realPath;
}

/** sha256 of each weights file of the twin (its ONNX files and their external data), by path inside the twin. */
async function weightDigests(twin: string, files: readonly string[]): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const file of [...new Set(files)].sort()) digests[file] = await fileSha256(join(twin, file));
  return digests;
}
