import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AutoConfig, AutoTokenizer, ModelRegistry, env } from '@huggingface/transformers';
import { UserError } from '../../util/errors.js';
import { Progress } from '../../util/progress.js';
import type { Dtype } from '../types.js';
import { chooseLayout, describeCandidates, filesOf } from './onnxLayout.js';

export interface HubOptions {
  cacheDir?: string;
  offline?: boolean;
  dtype: Dtype;
  /** No download progress on stderr (it is also off when stderr is not a terminal). */
  quiet?: boolean;
}

export function hubCacheDir(cacheDir?: string): string {
  return cacheDir ?? process.env.IW_CACHE_DIR ?? env.cacheDir ?? join(process.cwd(), '.cache');
}

const CONFIG_FILES = ['config.json'];
const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json'];

/**
 * Makes the repo's config, tokenizer and ONNX files present in the cache; returns the repo's cache folder.
 *
 * Hub ids, through transformers.js' hub and cache: config.json and the tokenizer files are fetched by
 * AutoConfig / AutoTokenizer, which store them in transformers.js' file cache, <cacheDir>/<repo id>/<file>.
 * The ONNX files go to the same place: transformers.js has no public call that downloads a model file without
 * also opening its own ONNX session on it, so iw looks them up with ModelRegistry.get_file_metadata and
 * fetches them from the URL transformers.js would use (env.remoteHost, env.remotePathTemplate). A model
 * downloaded by iw is therefore in the cache for transformers.js too, and the other way round.
 *
 * Offline (--offline): nothing but the cache folder is read; a missing file is a clear error.
 */
export async function fetchHubModel(hubId: string, options: HubOptions): Promise<string> {
  const cacheDir = hubCacheDir(options.cacheDir);
  const folder = join(cacheDir, hubId);
  const absentOf = (files: string[]) => files.filter((file) => !existsSync(join(folder, file)));
  try {
    const absent = absentOf([...CONFIG_FILES, ...TOKENIZER_FILES]);
    if (absent.length > 0 && options.offline) {
      const what = absent.length === 3 ? `${hubId} is` : `${absent.join(' and ')} of ${hubId} ${absent.length > 1 ? 'are' : 'is'}`;
      throw new UserError(`${what} not in the cache ${cacheDir} (--offline): run once without --offline to download it, or give --model a local folder`);
    }
    // Files already cached are not asked for again: transformers.js 4.3.1 probes the hub for
    // tokenizer_config.json even when the file is cached (get_tokenizer_files ignores cache_dir), so a
    // cached model must not go through it, or it would need the network.
    if (absentOf(CONFIG_FILES).length > 0) await AutoConfig.from_pretrained(hubId, { cache_dir: cacheDir });
    if (absentOf(TOKENIZER_FILES).length > 0) await AutoTokenizer.from_pretrained(hubId, { cache_dir: cacheDir });
    const onnxFiles = await chooseHubFiles(hubId, folder, cacheDir, options);
    for (const file of onnxFiles) await ensureCached(hubId, file, folder, options);
  } catch (error) {
    throw hubError(hubId, cacheDir, options, error);
  }
  return folder;
}

/** The ONNX files to use: a layout already complete in the cache, else (online) the first the hub holds. */
async function chooseHubFiles(hubId: string, folder: string, cacheDir: string, options: HubOptions): Promise<string[]> {
  const cached = await chooseLayout(options.dtype, (file) => existsSync(join(folder, file)));
  if (cached) return withExternalData(cached.onnxFile, folder, filesOf(cached));
  if (options.offline) {
    throw new UserError(`${hubId} has no ONNX file for --dtype ${options.dtype} in the cache ${cacheDir} (looked for ${describeCandidates(options.dtype)}); run once without --offline to download it`);
  }
  const remote = await chooseLayout(options.dtype, async (file) => (await ModelRegistry.get_file_metadata(hubId, file, { cache_dir: cacheDir })).exists);
  if (!remote) {
    throw new UserError(`${hubId} on the Hugging Face hub has no ONNX file for --dtype ${options.dtype} (looked for ${describeCandidates(options.dtype)})`);
  }
  const files = filesOf(remote);
  for (const file of [...files]) {
    const data = `${file}_data`;
    if ((await ModelRegistry.get_file_metadata(hubId, data, { cache_dir: cacheDir })).exists) files.push(data);
  }
  return files;
}

/** External weights (model.onnx_data) already cached beside a cached model file. */
function withExternalData(onnxFile: string, folder: string, files: string[]): string[] {
  const data = `${onnxFile}_data`;
  return existsSync(join(folder, data)) ? [...files, data] : files;
}

async function ensureCached(hubId: string, file: string, folder: string, options: HubOptions): Promise<void> {
  const target = join(folder, file);
  if (existsSync(target)) return;
  if (options.offline) throw new UserError(`${hubId}: ${file} is not in the cache (--offline)`);
  const response = await env.fetch(remoteUrl(hubId, file), { headers: authorization() });
  if (!response.ok || !response.body) {
    throw new UserError(`${hubId}: the Hugging Face hub answered ${response.status} for ${file}`);
  }
  // Written beside the target and renamed when complete, as transformers.js' own cache does.
  await mkdir(dirname(target), { recursive: true });
  const temp = `${target}.tmp.${process.pid}`;
  const megabytes = Math.ceil(Number(response.headers.get('content-length') ?? 0) / 1e6);
  const progress = new Progress({ label: `downloading ${hubId}/${file}`, total: megabytes, unit: 'MB', quiet: options.quiet });
  try {
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    await pipeline(body, countMegabytes(progress), createWriteStream(temp));
    await rename(temp, target);
  } finally {
    progress.finish();
    await rm(temp, { force: true });
  }
}

/** A pass-through stream that ticks the progress once per megabyte. */
function countMegabytes(progress: Progress): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const before = Math.floor(bytes / 1e6);
      bytes += chunk.length;
      const after = Math.floor(bytes / 1e6);
      if (after > before) progress.tick(after - before);
      done(null, chunk);
    },
  });
}

function remoteUrl(hubId: string, file: string): string {
  const path = env.remotePathTemplate.replaceAll('{model}', hubId).replaceAll('{revision}', 'main');
  return new URL(`${path}${file}`, env.remoteHost).toString();
}

function authorization(): Record<string, string> {
  const token = process.env.HF_TOKEN ?? process.env.HF_ACCESS_TOKEN;
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** One sentence for what went wrong reaching the hub or the cache. */
function hubError(hubId: string, cacheDir: string, options: HubOptions, error: unknown): Error {
  if (error instanceof UserError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (options.offline || /local_files_only|allowRemoteModels/.test(message)) {
    return new UserError(`${hubId} is not in the cache ${cacheDir} (--offline): run once without --offline to download it, or give --model a local folder`);
  }
  if (error instanceof TypeError || /fetch failed|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN/.test(message)) {
    const cause = causeCode(error);
    return new UserError(`cannot reach the Hugging Face hub for ${hubId}${cause ? ` (${cause})` : ''}: check the network, or use --offline with a cache that holds it (${cacheDir}), or give --model a local folder`);
  }
  if (/Unauthorized|Forbidden|Could not locate/.test(message)) {
    return new UserError(`${hubId}: the Hugging Face hub has no such model, or it is private or gated (set HF_TOKEN)`);
  }
  return error instanceof Error ? error : new Error(message);
}

/** The system error code (ECONNREFUSED, ENOTFOUND, …) somewhere down an error's cause chain. */
function causeCode(error: unknown): string | undefined {
  for (let current = error as { code?: unknown; cause?: unknown; errors?: unknown[] } | undefined, depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === 'string') return current.code;
    current = (current.cause ?? current.errors?.[0]) as typeof current;
  }
  return undefined;
}
