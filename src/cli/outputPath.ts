import { accessSync, constants, readlinkSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { lstatOrNull, UserError } from '../util/index.js';

/**
 * Where a command will write, checked before any work starts, so that a run is never lost to a bad --out at
 * its end. Nothing is created here: a refused --out leaves the disk as it was. What is allowed but risky in a
 * folder shared with others is said in a warning.
 */

/** Prints a one-line warning (src/cli/io.ts: warnOn). */
type Warn = (message: string) => void;

/** --out naming a folder (created if missing): neither it nor any folder above it may be a file. */
export function checkOutputFolder(path: string, warn: Warn, flag = '--out'): void {
  const existing = nearestExisting(path, flag);
  if (existing === resolve(path) && !statSync(existing).isDirectory()) {
    throw new UserError(`${flag} ${path} is a file; it must name a folder (new or existing) to write the results into`);
  }
  checkWritableFolder(existing, path, flag);
  sharedOutputWarnings(path, flag).forEach(warn);
}

/** --out naming a file (replaced if it exists): it must not be a folder, and no folder above it may be a file. */
export function checkOutputFile(path: string, warn: Warn, flag = '--out'): void {
  const existing = nearestExisting(path, flag);
  if (existing === resolve(path)) {
    if (statSync(existing).isDirectory()) throw new UserError(`${flag} ${path} is a folder; it must name a file to write, e.g. ${path.replace(/[\\/]+$/, '')}/out.json`);
    checkWritableFolder(dirname(existing), path, flag);
  } else {
    checkWritableFolder(existing, path, flag);
  }
  sharedOutputWarnings(path, flag).forEach(warn);
}

/**
 * Warnings for an output others may control: a path that is a symbolic link (iw writes where it points, which
 * whoever made the link chose), and a folder it lies in that everyone can write into without the sticky bit
 * (anyone can then rename, replace or plant files there, /tmp's protection missing).
 */
export function sharedOutputWarnings(path: string, flag = '--out'): string[] {
  const warnings: string[] = [];
  const target = resolve(path);
  const link = lstatOrNull(target);
  if (link?.isSymbolicLink()) warnings.push(`${flag} ${path} is a symbolic link (to ${readlinkSync(target)}): iw writes where it points`);
  const folder = link ? dirname(target) : nearestExisting(path, flag);
  const mode = statSync(folder).mode;
  if ((mode & 0o002) !== 0 && (mode & 0o1000) === 0) {
    warnings.push(`${flag} ${path} lies in ${folder}, which everyone can write into (no sticky bit): others can replace or plant files there; choose a folder only you can write into`);
  }
  return warnings;
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
