import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../util/errors.js';

/**
 * Where a command will write, checked before any work starts, so that a run is never lost to a bad --out at
 * its end. Nothing is created here: a refused --out leaves the disk as it was.
 */

/** --out naming a folder (created if missing): neither it nor any folder above it may be a file. */
export function checkOutputFolder(path: string, flag = '--out'): void {
  const existing = nearestExisting(path, flag);
  if (existing === resolve(path) && !statSync(existing).isDirectory()) {
    throw new UserError(`${flag} ${path} is a file; it must name a folder (new or existing) to write the results into`);
  }
  checkWritableFolder(existing, path, flag);
}

/** --out naming a file (replaced if it exists): it must not be a folder, and no folder above it may be a file. */
export function checkOutputFile(path: string, flag = '--out'): void {
  const existing = nearestExisting(path, flag);
  if (existing === resolve(path)) {
    if (statSync(existing).isDirectory()) throw new UserError(`${flag} ${path} is a folder; it must name a file to write, e.g. ${path.replace(/[\\/]+$/, '')}/out.json`);
    checkWritableFolder(dirname(existing), path, flag);
    return;
  }
  checkWritableFolder(existing, path, flag);
}

/** The path itself, or its nearest ancestor that exists; refused when that ancestor is a file. */
function nearestExisting(path: string, flag: string): string {
  const target = resolve(path);
  let current = target;
  while (!exists(current)) {
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  if (current !== target && !statSync(current).isDirectory()) {
    throw new UserError(`${flag} ${path}: ${current} is a file, so nothing can be written below it; choose a path whose folders are folders`);
  }
  return current;
}

function checkWritableFolder(folder: string, path: string, flag: string): void {
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new UserError(`${flag} ${path}: cannot write into ${folder} (no permission)`);
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
