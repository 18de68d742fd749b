import { lstatSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { liesInside } from './safePath.js';

/**
 * Which files inside a folder iw reads from someone else (a model folder) it will read or copy: regular files
 * that lie inside the folder once links are resolved. A symlink in a model cloned from a stranger could point at a
 * private file (~/.ssh/id_ed25519), which iw would then read as weights or copy into a twin others can see. The
 * one exception is the Hugging Face cache layout, which iw's hub downloads use too: every file of
 * `<repo>/snapshots/<commit>/` links into `<repo>/blobs/`, so a link whose target lies in that blobs folder is
 * followed.
 */

/** A file that may be read: its real path (no link left to follow) and size; or why not. */
export type FolderFile = { realPath: string; size: number } | { problem: string };

/** Checks `path`, a file inside `folder`, as the comment above says. */
export function fileInsideFolder(path: string, folder: string): FolderFile {
  let stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    return { problem: `${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  const realFolder = realpathSync(folder);
  if (stats.isSymbolicLink()) {
    const realPath = realpathOrUndefined(path);
    const blobs = hubBlobsFolder(realFolder);
    if (realPath === undefined || blobs === undefined || !liesInside(realPath, blobs) || !statSync(realPath).isFile()) {
      return { problem: `${path} is a symbolic link${realPath ? ` to ${realPath}` : ''}: iw reads only regular files inside a model's folder (a link could point at a private file); copy the file in place of the link` };
    }
    return { realPath, size: statSync(realPath).size };
  }
  if (!stats.isFile()) return { problem: `${path} is not a regular file` };
  const realPath = realpathSync(path);
  if (!liesInside(realPath, realFolder)) return { problem: `${path} lies outside the model's folder once its linked folders are followed (it is ${realPath})` };
  return { realPath, size: stats.size };
}

/** `<repo>/blobs` when `realFolder` lies in `<repo>/snapshots/<commit>/` (the Hugging Face cache layout). */
function hubBlobsFolder(realFolder: string): string | undefined {
  for (let folder = realFolder; dirname(folder) !== folder; folder = dirname(folder)) {
    if (basename(dirname(folder)) === 'snapshots') return join(dirname(dirname(folder)), 'blobs');
  }
  return undefined;
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
