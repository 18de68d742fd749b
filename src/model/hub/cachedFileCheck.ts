import { statSync } from 'node:fs';
import { fileSha256 } from './fileDigest.js';

/**
 * Checks of what the cache holds, made each time it is used: a cached file is trusted only if it is still what was
 * downloaded (issue 27: a cache is not trusted as found), and a cache folder others can write to is pointed out.
 *
 * @module
 */

/** A cached file's size and sha256, and what is wrong with it, if anything, against what is expected of it. */
export async function checkCachedFile(path: string, expected: { size?: number; sha256?: string } | undefined): Promise<{ size: number; sha256: string; damage?: string }> {
  const size = statSync(path).size;
  if (expected?.size !== undefined && size !== expected.size) {
    return { size, sha256: '', damage: `${size} bytes where the hub's file has ${expected.size}` };
  }
  const sha256 = await fileSha256(path);
  if (expected?.sha256 && sha256 !== expected.sha256) return { size, sha256, damage: `sha256 ${sha256}, not the hub's ${expected.sha256}` };
  return { size, sha256 };
}

const warned = new Set<string>();

/**
 * Warns once per folder when others can write to the cache (mode o+w) or another user owns it: anyone who can
 * write there can plant a model or a control.
 */
export function warnIfSharedFolder(folder: string): void {
  if (warned.has(folder)) return;
  warned.add(folder);
  let stat;
  try {
    stat = statSync(folder);
  } catch {
    return;
  }
  const uid = process.getuid?.();
  const writableByOthers = (stat.mode & 0o002) !== 0;
  const ownedByOther = uid !== undefined && stat.uid !== uid && stat.uid !== 0;
  if (!writableByOthers && !ownedByOther) return;
  const why = writableByOthers ? 'is writable by every user' : `belongs to another user (uid ${stat.uid})`;
  process.stderr.write(`iw: warning: the cache folder ${folder} ${why}: anyone who can write there can replace the models iw runs; use --cache-dir or IW_CACHE_DIR to give a folder of your own\n`);
}
