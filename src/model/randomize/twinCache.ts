import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedModel } from '../types.js';
import { hubCacheDir } from '../hub/hubCache.js';
import { resolveModel } from '../hub/resolve.js';
import { writeRandomizedModel } from './twinFolder.js';

/**
 * Untrained twins for --untrained: made once per (ONNX file, seed) into the cache folder
 * <cache>/iw-untrained/<sha256 of the ONNX file>-seed-<seed>-v<recipe version>/ and reused after that.
 * A twin is complete when its folder exists: it is written beside it and renamed into place when finished.
 */
export interface TwinCacheOptions {
  /** The cache root (default: the hub cache, $IW_CACHE_DIR, or transformers.js' cache). */
  cacheDir?: string;
  quiet?: boolean;
}

/** Raised when the way twins are drawn changes, so that twins made the old way are not reused. */
export const TWIN_RECIPE_VERSION = 1;

/** The folder (hub layout) of the model's untrained twin for this seed, written there first if it is not yet. */
export async function randomizedModelPath(resolved: ResolvedModel, seed: number, options: TwinCacheOptions = {}): Promise<string> {
  const folder = join(hubCacheDir(options.cacheDir), 'iw-untrained', `${await resolved.sha256()}-seed-${seed}-v${TWIN_RECIPE_VERSION}`);
  if (isTwin(folder, seed)) return folder;
  try {
    await writeRandomizedModel(resolved, { seed, out: folder, quiet: options.quiet });
  } catch (error) {
    if (!isTwin(folder, seed)) throw error; // else another process finished the same twin first
  }
  return folder;
}

/**
 * The untrained twin resolved like any model folder, in the same dtype. It keeps the user's id and hub id (the
 * reports mark untrained runs themselves); its config carries the iw_untrained note and its sha256 is the twin's.
 */
export async function untrainedTwin(resolved: ResolvedModel, seed: number, options: TwinCacheOptions = {}): Promise<ResolvedModel> {
  const folder = await randomizedModelPath(resolved, seed, options);
  const twin = await resolveModel({ model: folder, dtype: resolved.dtype });
  return { ...twin, id: resolved.id, hubId: resolved.hubId };
}

function isTwin(folder: string, seed: number): boolean {
  const config = join(folder, 'config.json');
  if (!existsSync(config)) return false;
  try {
    const note = (JSON.parse(readFileSync(config, 'utf8')) as { iw_untrained?: { seed?: unknown } }).iw_untrained;
    return note?.seed === seed;
  } catch {
    return false;
  }
}
