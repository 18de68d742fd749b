import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

/** Temp files and folders being written right now; removed by removePendingTempFiles if the process is interrupted. */
const pendingTempFiles = new Set<string>();

/**
 * Removes temp files and folders of writes that were under way. The CLI calls this on Ctrl-C (SIGINT/SIGTERM)
 * before exiting; a library user who installs their own signal handlers can call it too.
 */
export function removePendingTempFiles(): void {
  for (const path of pendingTempFiles) rmSync(path, { recursive: true, force: true });
  pendingTempFiles.clear();
}

/**
 * Registers a temp folder being filled (e.g. a model folder written whole, then renamed into place), so that an
 * interrupt removes it; returns the function that forgets it once it is renamed or removed.
 */
export function trackTempFolder(path: string): () => void {
  pendingTempFiles.add(path);
  return () => pendingTempFiles.delete(path);
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
