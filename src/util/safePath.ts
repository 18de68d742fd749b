import { lstatOrNull } from './lstatOrNull.js';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { UserError } from './errors.js';

/**
 * Names iw derives from what it reads (a report's model id, a label, a corpus name) become file and folder names
 * only through here, so that a crafted input cannot make one write outside the folder it was given.
 */

/**
 * A name as one safe path segment: letters, digits, dots, dashes and underscores only (anything else, path
 * separators included, becomes a dash), no leading dots or dashes (so never `.`, `..` nor a hidden file), and
 * `fallback` when nothing is left.
 */
export function safePathSegment(name: string, fallback: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+|-+$/g, '') || fallback;
}

/**
 * `folder/name`, checked to lie strictly inside `folder` once resolved (a name such as `..` or `a/../../b` is
 * refused), for a file that is written by rename (a symlink at its name is replaced, not followed).
 */
export function fileInside(folder: string, name: string): string {
  const path = join(folder, name);
  if (!liesInside(resolve(path), resolve(folder))) throw new UserError(`refusing to write ${path}: it is not inside ${folder}`);
  return path;
}

/** Whether `path` lies strictly inside `folder`, as written (both absolute, or both relative to the same place). */
export function liesInside(path: string, folder: string): boolean {
  const rest = relative(folder, path);
  return rest !== '' && !rest.startsWith('..') && !isAbsolute(rest);
}

/**
 * `folder/name` as a folder to write into: inside `folder` as fileInside checks, and not a symlink already there
 * (files written into it would land wherever the link points).
 */
export function folderInside(folder: string, name: string): string {
  const path = fileInside(folder, name);
  if (isSymlink(path)) throw new UserError(`refusing to write into ${path}: it is a symbolic link; remove it or choose another --out`);
  return path;
}

function isSymlink(path: string): boolean {
  return lstatOrNull(path)?.isSymbolicLink() ?? false;
}
