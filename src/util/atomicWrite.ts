import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

/** Temp files being written right now; removed by removePendingTempFiles if the process is interrupted. */
const pendingTempFiles = new Set<string>();

/**
 * Removes temp files of writes that were under way. The CLI calls this on Ctrl-C (SIGINT/SIGTERM) before
 * exiting; a library user who installs their own signal handlers can call it too.
 */
export function removePendingTempFiles(): void {
  for (const file of pendingTempFiles) rmSync(file, { force: true });
  pendingTempFiles.clear();
}

/**
 * Writes a file so that readers see either the old content or the whole new content, never a part:
 * the data goes to a temp file beside the target, which is then renamed over it.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  pendingTempFiles.add(temp);
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } finally {
    pendingTempFiles.delete(temp);
    rmSync(temp, { force: true });
  }
}
