import { existsSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { env } from '@huggingface/transformers';
import { UserError } from '../../util/index.js';
import type { Dtype } from '../types.js';
import {
  blobsFolder, cachedSnapshot, checkRevision, isCommit, readDownloadRecord, repoCacheFolder, snapshotFolder, writeDownloadRecord, writeRef,
} from './cacheLayout.js';
import { checkCachedFile, warnIfSharedFolder } from './cachedFileCheck.js';
import { downloadFile } from './download.js';
import { hubEndpoint } from './endpoint.js';
import { fileMetadata, HubNetworkError, type FileAddress, type HubFileMetadata } from './hubHttp.js';
import { chooseLayout, describeCandidates, filesOf } from './onnxLayout.js';

export interface HubOptions {
  cacheDir?: string;
  offline?: boolean;
  /** A branch, tag or commit of the repo (default main). */
  revision?: string;
  dtype: Dtype;
  /** No download progress on stderr (it is also off when stderr is not a terminal). */
  quiet?: boolean;
}

/** A repo at a revision, present and checked in the cache. */
export interface HubSnapshot {
  /** The snapshot folder: config.json, tokenizer files, onnx/. */
  folder: string;
  revision: string;
  /** The commit the revision resolved to, where the hub said it. */
  commit?: string;
  /** sha256 of the files checked on the way, by repo path (so that they are not hashed twice). */
  sha256: Map<string, string>;
}

export function hubCacheDir(cacheDir?: string): string {
  return cacheDir ?? process.env.IW_CACHE_DIR ?? env.cacheDir ?? join(process.cwd(), '.cache');
}

const REQUIRED_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];

/**
 * Makes a repo's config, tokenizer and ONNX files at a revision present and checked in the cache; returns its
 * snapshot. As huggingface_hub's hf_hub_download does: online, every file is looked up on the hub (a HEAD: the
 * revision's commit, the file's ETag and size), so an updated branch is seen at once; a file already in the
 * commit's snapshot is used if it passes its check (size and sha256 as downloaded), else downloaded again. Offline
 * (--offline, or HF_HUB_OFFLINE=1), or a commit already cached, or a hub that cannot be reached while the cache holds
 * the revision: the cache alone, each file checked; a damaged file is an error naming it.
 */
export async function fetchHubModel(hubId: string, options: HubOptions): Promise<HubSnapshot> {
  const revision = options.revision ?? 'main';
  checkRevision(revision);
  const cacheDir = hubCacheDir(options.cacheDir);
  if (existsSync(cacheDir) && !statSync(cacheDir).isDirectory()) throw new UserError(`the cache ${cacheDir} is not a folder: give --cache-dir (or IW_CACHE_DIR) a folder`);
  warnIfSharedFolder(cacheDir);
  try {
    return await fetchRevision(hubId, revision, cacheDir, options);
  } catch (error) {
    throw cacheWriteError(cacheDir, error) ?? error;
  }
}

/** A cache iw cannot write (permissions, a read-only or full disk) is the user's to fix, in one line. */
function cacheWriteError(cacheDir: string, error: unknown): UserError | undefined {
  const { code, path } = error as { code?: unknown; path?: unknown };
  if (typeof code !== 'string' || !['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT'].includes(code)) return undefined;
  return new UserError(`cannot write the cache ${cacheDir} (${code}${typeof path === 'string' ? ` on ${path}` : ''}): give --cache-dir (or IW_CACHE_DIR) a folder you can write, with room for the model`);
}

async function fetchRevision(hubId: string, revision: string, cacheDir: string, options: HubOptions): Promise<HubSnapshot> {
  const repo = repoCacheFolder(cacheDir, hubId);
  warnIfSharedFolder(repo);
  const where = { hubId, revision, cacheDir, repo };
  if (options.offline || offlineByEnvironment()) return fromCache(where, options.dtype);
  // A commit never changes: once its files are cached and sound, the hub is not asked again.
  const cachedCommit = isCommit(revision) && cachedSnapshot(repo, revision) ? await fromCache(where, options.dtype).catch(() => undefined) : undefined;
  if (cachedCommit) return cachedCommit;
  try {
    return await fromHub(where, options);
  } catch (error) {
    if (!(error instanceof HubNetworkError) || !cachedSnapshot(repo, revision)) throw error;
    const cached = await fromCache(where, options.dtype).catch(() => undefined);
    if (!cached) throw error;
    process.stderr.write(`iw: warning: ${error.summary}; using the cached copy of ${hubId} at revision ${revision}\n`);
    return cached;
  }
}

interface CachePlace {
  hubId: string;
  revision: string;
  cacheDir: string;
  /** The repo's folder in the cache. */
  repo: string;
}

/** HF_HUB_OFFLINE=1, huggingface_hub's switch, means --offline. */
function offlineByEnvironment(): boolean {
  return ['1', 'on', 'yes', 'true'].includes((process.env.HF_HUB_OFFLINE ?? '').toLowerCase());
}

async function fromCache(where: CachePlace, dtype: Dtype): Promise<HubSnapshot> {
  const { hubId, revision, cacheDir, repo } = where;
  const at = revision === 'main' ? '' : ` at revision ${revision}`;
  const snapshot = cachedSnapshot(repo, revision);
  if (!snapshot) {
    throw new UserError(`${hubId}${at} is not in the cache ${cacheDir} (--offline): run once without --offline to download it, or give --model a local folder`);
  }
  const folder = snapshotFolder(repo, snapshot);
  const absent = REQUIRED_FILES.filter((file) => !existsSync(join(folder, file)));
  if (absent.length > 0) {
    throw new UserError(`${absent.join(' and ')} of ${hubId}${at} ${absent.length > 1 ? 'are' : 'is'} not in the cache ${cacheDir} (--offline): run once without --offline to download it, or give --model a local folder`);
  }
  const layout = await chooseLayout(dtype, (file) => existsSync(join(folder, file)));
  if (!layout) {
    throw new UserError(`${hubId}${at} has no ONNX file for --dtype ${dtype} in the cache ${cacheDir} (looked for ${describeCandidates(dtype)}); run once without --offline to download it`);
  }
  const files = [...REQUIRED_FILES, ...filesOf(layout)];
  for (const file of filesOf(layout)) if (existsSync(join(folder, `${file}_data`))) files.push(`${file}_data`);
  const sha256 = new Map<string, string>();
  for (const file of files) {
    const path = join(folder, file);
    const check = await checkCachedFile(path, readDownloadRecord(repo, snapshot, file));
    if (check.damage) throw new UserError(`${path} is damaged (${check.damage}): delete it, then run without --offline to download it again`);
    sha256.set(file, check.sha256);
  }
  return { folder, revision, commit: isCommit(snapshot) ? snapshot : undefined, sha256 };
}

async function fromHub(where: CachePlace, options: HubOptions): Promise<HubSnapshot> {
  const { hubId, revision, repo } = where;
  const endpoint = hubEndpoint();
  const found = new Map<string, HubFileMetadata | undefined>();
  // The first answer resolves the revision to a commit; every later request asks for that commit, so that a branch
  // that moves during the run cannot mix two versions in one snapshot (as huggingface_hub's snapshot_download does).
  let commit: string | undefined;
  const address = (file: string): FileAddress => ({ endpoint, hubId, revision, commit, file });
  const lookUp = async (file: string) => {
    if (!found.has(file)) found.set(file, await fileMetadata(address(file)));
    commit ??= found.get(file)?.commit;
    return found.get(file);
  };
  for (const file of REQUIRED_FILES) {
    if (!(await lookUp(file))) throw new UserError(`${hubId} at revision ${revision} has no file ${file} (404): iw needs config.json, tokenizer.json and tokenizer_config.json beside the ONNX export`);
  }
  const layout = await chooseLayout(options.dtype, async (file) => (await lookUp(file)) !== undefined);
  if (!layout) {
    throw new UserError(`${hubId} at revision ${revision} on ${endpoint} has no ONNX file for --dtype ${options.dtype} (looked for ${describeCandidates(options.dtype)})`);
  }
  const files = [...REQUIRED_FILES, ...filesOf(layout)];
  for (const file of filesOf(layout)) if (await lookUp(`${file}_data`)) files.push(`${file}_data`);
  const snapshot = commit ?? revision;
  const folder = snapshotFolder(repo, snapshot);
  const sha256 = new Map<string, string>();
  for (const file of files) {
    const place = { repo, snapshot, folder, file };
    sha256.set(file, await ensureFile(place, address(file), found.get(file) as HubFileMetadata, options.quiet));
  }
  if (commit) writeRef(repo, revision, commit);
  return { folder, revision, commit, sha256 };
}

/** A file of the snapshot as the hub describes it: the cached copy if it is that file and undamaged, else downloaded. Returns its sha256. */
async function ensureFile(
  place: { repo: string; snapshot: string; folder: string; file: string }, address: FileAddress, metadata: HubFileMetadata, quiet?: boolean,
): Promise<string> {
  const target = join(place.folder, place.file);
  if (existsSync(target)) {
    const record = readDownloadRecord(place.repo, place.snapshot, place.file);
    // A snapshot named by its revision (no commit from the server) can hold an older version of the file.
    const older = record !== undefined && record.etag !== metadata.etag;
    const check = older ? undefined : await checkCachedFile(target, record ?? { size: metadata.size, sha256: metadata.sha256 });
    if (check && !check.damage) {
      if (!record) writeDownloadRecord(place.repo, place.snapshot, place.file, { size: check.size, etag: metadata.etag, sha256: check.sha256 });
      return check.sha256;
    }
    process.stderr.write(`iw: warning: ${target} is ${check?.damage ? `damaged (${check.damage})` : 'an older version than the hub\'s'}; downloading it again\n`);
    await rm(target, { force: true });
  }
  const downloaded = await downloadFile({ address, metadata, target, tempFolder: blobsFolder(place.repo), quiet });
  writeDownloadRecord(place.repo, place.snapshot, place.file, { size: downloaded.size, etag: metadata.etag, sha256: downloaded.sha256 });
  return downloaded.sha256;
}
