import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { removeOnInterrupt } from './cleanup.js';

/** How many fresh temp names to try before giving up: a clash of 128 random bits means someone planted the name. */
const TEMP_NAME_ATTEMPTS = 8;

/**
 * A name beside `path` for a temp file or folder that nobody can guess (128 random bits), so that a symlink planted
 * in a shared folder cannot be waiting under it.
 */
export function unpredictableTempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.iw-tmp-${randomBytes(16).toString('hex')}`);
}

/**
 * Creates a new, empty temp file beside `path` and opens it for writing: created by this call (O_CREAT | O_EXCL, so
 * an existing file or a planted symlink under the name is never opened), readable by its owner only (0600) until
 * it is renamed into place. Returns its path and descriptor; the caller registers it for cleanup.
 */
export function createTempFile(path: string): { temp: string; fd: number } {
  for (let attempt = 1; ; attempt++) {
    const temp = unpredictableTempPath(path);
    try {
      return { temp, fd: openSync(temp, 'wx', 0o600) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt === TEMP_NAME_ATTEMPTS) throw error;
    }
  }
}

/** The mode a file created the ordinary way gets (0666 less the umask), given to a temp file once it is complete. */
function ordinaryFileMode(): number {
  return 0o666 & ~process.umask();
}

/**
 * Flushes a folder's entries to disk, so that a rename inside it survives a crash. Platforms that cannot open a
 * folder for fsync (Windows) skip it: their rename is durable enough on its own.
 */
export function fsyncFolder(folder: string): void {
  let fd: number;
  try {
    fd = openSync(folder, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EPERM' && code !== 'EISDIR') throw error;
  } finally {
    closeSync(fd);
  }
}

/** Writes all of `data` at the descriptor's position (writeSync may write less than asked). */
function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written, bytes.length - written);
}

/**
 * Writes a file so that readers see either the old content or the whole new content, never a part, and so that a
 * shared folder cannot redirect the write: the data goes to a temp file beside the target that this call creates
 * under an unpredictable name (see createTempFile), is given the ordinary file mode, flushed to disk and renamed
 * over the target; then the folder is flushed so the rename survives a crash. A symlink planted at the target's
 * name is replaced by the file, not followed.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const { temp, fd } = createTempFile(path);
  const forgetTemp = removeOnInterrupt(temp);
  let open = true;
  try {
    writeAll(fd, data);
    fchmodSync(fd, ordinaryFileMode());
    fsyncSync(fd);
    closeSync(fd);
    open = false;
    renameSync(temp, path);
    fsyncFolder(dirname(path));
  } finally {
    if (open) closeSync(fd);
    forgetTemp();
    rmSync(temp, { force: true });
  }
}
