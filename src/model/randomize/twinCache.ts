import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { UserError, fileInside } from '../../util/index.js';
import { warnIfSharedFolder } from '../hub/cachedFileCheck.js';
import { fileSha256 } from '../hub/fileDigest.js';
import type { ResolvedModel } from '../types.js';
import { hubCacheDir } from '../hub/hubCache.js';
import { resolveModel } from '../hub/resolve.js';
import { writeRandomizedModel } from './twinFolder.js';

/**
 * Untrained twins for --untrained: made once per (ONNX file, seed) into the cache folder
 * <cache>/iw-untrained/<sha256 of the ONNX file>-seed-<seed>-v<recipe version>/ and reused after that.
 * A twin is complete when its folder exists: it is written beside it and renamed into place when finished. Its
 * config.json records the sha256 of its weights, checked each time it is reused.
 */
export interface TwinCacheOptions {
  /** The cache root (default: the hub cache, $IW_CACHE_DIR, or transformers.js' cache). */
  cacheDir?: string;
  quiet?: boolean;
}

/**
 * Raised when the way twins are drawn or recorded changes, so that twins made the old way are not reused
 * (2: the config records the sha256 of the twin's weights, checked on reuse).
 */
export const TWIN_RECIPE_VERSION = 2;

/** The folder (hub layout) of the model's untrained twin for this seed, written there first if it is not yet. */
export async function randomizedModelPath(resolved: ResolvedModel, seed: number, options: TwinCacheOptions = {}): Promise<string> {
  const cache = hubCacheDir(options.cacheDir);
  const twins = join(cache, 'iw-untrained');
  // Someone who can write there could plant a twin, complete with a config recording its sha256.
  for (const folder of [cache, twins]) warnIfSharedFolder(folder);
  const folder = join(twins, `${await resolved.sha256()}-seed-${seed}-v${TWIN_RECIPE_VERSION}`);
  if (isTwin(folder, seed)) {
    await checkTwinWeights(folder);
    return folder;
  }
  try {
    await writeRandomizedModel(resolved, { seed, out: folder, quiet: options.quiet });
  } catch (error) {
    if (!isTwin(folder, seed)) throw error; // else another process finished the same twin first: checked as any cached one
    await checkTwinWeights(folder);
  }
  return folder;
}

/**
 * The untrained twin resolved like any model folder, in the same dtype. It keeps the user's id and hub id (the
 * reports mark untrained runs themselves); its config carries the iw_untrained note and its sha256 is the twin's:
 * the one its config records, which randomizedModelPath has just written or checked, so the file is not read again.
 */
export async function untrainedTwin(resolved: ResolvedModel, seed: number, options: TwinCacheOptions = {}): Promise<ResolvedModel> {
  const folder = await randomizedModelPath(resolved, seed, options);
  const twin = await resolveModel({ model: folder, dtype: resolved.dtype });
  const recorded = twinNote(folder)?.weights_sha256 as Record<string, unknown> | undefined;
  const digest = recorded?.[relative(folder, twin.onnxPath).split(sep).join('/')];
  return { ...twin, id: resolved.id, hubId: resolved.hubId, ...(typeof digest === 'string' ? { sha256: () => Promise.resolve(digest) } : {}) };
}

function isTwin(folder: string, seed: number): boolean {
  return twinNote(folder)?.seed === seed;
}

/** The iw_untrained note of a twin's config.json, if it has one. */
function twinNote(folder: string): { seed?: unknown; weights_sha256?: unknown } | undefined {
  const config = join(folder, 'config.json');
  if (!existsSync(config)) return undefined;
  try {
    return (JSON.parse(readFileSync(config, 'utf8')) as { iw_untrained?: { seed?: unknown; weights_sha256?: unknown } }).iw_untrained;
  } catch {
    return undefined;
  }
}

/**
 * Checks a cached twin's weights against the sha256 its config recorded when iw wrote it, before it is reused:
 * a twin damaged, or partly replaced by someone who can write the cache, is refused (exit 2) with what to do.
 */
async function checkTwinWeights(folder: string): Promise<void> {
  const recorded = twinNote(folder)?.weights_sha256;
  const refuse = (why: string) => new UserError(`the cached untrained twin ${folder} ${why}: delete that folder to have the twin made again`);
  if (!recorded || typeof recorded !== 'object' || Object.keys(recorded).length === 0) throw refuse('records no sha256 of its weights');
  for (const [file, digest] of Object.entries(recorded as Record<string, unknown>)) {
    const path = fileInside(folder, file);
    if (!existsSync(path)) throw refuse(`has no ${file}`);
    if ((await fileSha256(path)) !== digest) throw refuse(`has a ${file} whose sha256 is not the one recorded when it was made (it was changed since)`);
  }
}
