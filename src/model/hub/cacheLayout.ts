import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../util/index.js';
import { writeFileAtomic } from '../../util/index.js';

/**
 * Where a hub repo lives in the cache: huggingface_hub's layout (docs/models.md, "The cache").
 *
 *     <cache>/models--<org>--<name>/
 *       refs/<revision>              the commit the revision last resolved to
 *       snapshots/<commit>/<file>    the repo's files at that commit (regular files, not links to blobs/)
 *       blobs/*.incomplete           downloads under way or interrupted (resumed by the next run)
 *       iw-downloads/<commit>/<file>.json   what the hub said of each file (size, ETag, sha256): checked when used
 *
 * A snapshot is named by its commit when the server says it (X-Repo-Commit), by the revision otherwise.
 *
 * @module
 */

/** What iw recorded of a downloaded file, to check the cached copy each time it is used. */
export interface DownloadRecord {
  size: number;
  etag?: string;
  sha256?: string;
}

/** A branch, tag or commit: names git allows, none that could leave the cache folder. */
const REVISION = /^[\w][\w.\-/]{0,199}$/;

export function checkRevision(revision: string): void {
  if (!REVISION.test(revision) || revision.split('/').some((part) => part === '' || part === '.' || part === '..') || revision.endsWith('.lock')) {
    throw new UserError(`--revision must be a branch, tag or commit of the repo such as main, step1000 or a 40-hex commit (got ${JSON.stringify(revision)})`);
  }
}

export function isCommit(revision: string): boolean {
  return /^[0-9a-f]{40}$/.test(revision);
}

export function repoCacheFolder(cacheDir: string, hubId: string): string {
  return join(cacheDir, `models--${hubId.split('/').join('--')}`);
}

export function snapshotFolder(repoFolder: string, snapshot: string): string {
  return join(repoFolder, 'snapshots', snapshot.split('/').join('--'));
}

export function blobsFolder(repoFolder: string): string {
  return join(repoFolder, 'blobs');
}

/** The snapshot a revision names in the cache: itself for a cached commit, else what refs/ says, else a snapshot named by the revision. */
export function cachedSnapshot(repoFolder: string, revision: string): string | undefined {
  if (isCommit(revision) && existsSync(snapshotFolder(repoFolder, revision))) return revision;
  const ref = join(repoFolder, 'refs', revision);
  if (existsSync(ref)) {
    const commit = readFileSync(ref, 'utf8').trim();
    if (isCommit(commit) && existsSync(snapshotFolder(repoFolder, commit))) return commit;
  }
  return existsSync(snapshotFolder(repoFolder, revision)) ? revision : undefined;
}

export function writeRef(repoFolder: string, revision: string, commit: string): void {
  if (revision === commit) return;
  writeFileAtomic(join(repoFolder, 'refs', revision), commit);
}

function recordPath(repoFolder: string, snapshot: string, file: string): string {
  return join(repoFolder, 'iw-downloads', snapshot.split('/').join('--'), `${file}.json`);
}

export function readDownloadRecord(repoFolder: string, snapshot: string, file: string): DownloadRecord | undefined {
  const path = recordPath(repoFolder, snapshot, file);
  if (!existsSync(path)) return undefined;
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as Partial<DownloadRecord>;
    return typeof record.size === 'number' ? { size: record.size, etag: record.etag, sha256: record.sha256 } : undefined;
  } catch {
    return undefined;
  }
}

export function writeDownloadRecord(repoFolder: string, snapshot: string, file: string, record: DownloadRecord): void {
  writeFileAtomic(recordPath(repoFolder, snapshot, file), `${JSON.stringify(record)}\n`);
}
