import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { removeOnInterrupt } from './cleanup.js';

/**
 * Writes a file so that readers see either the old content or the whole new content, never a part:
 * the data goes to a temp file beside the target, which is then renamed over it.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const forgetTemp = removeOnInterrupt(temp);
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } finally {
    forgetTemp();
    rmSync(temp, { force: true });
  }
}
