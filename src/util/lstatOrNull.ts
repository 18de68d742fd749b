import { lstatSync, type Stats } from 'node:fs';

/** What lstat says of `path` (a symlink is described, not followed), or null where nothing is there to describe. */
export function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}
