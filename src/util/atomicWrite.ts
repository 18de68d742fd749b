import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

/** Temp files being written right now, removed if the process is interrupted (Ctrl-C). */
const pendingTempFiles = new Set<string>();
let interruptHandlerInstalled = false;

function installInterruptHandler(): void {
  if (interruptHandlerInstalled) return;
  interruptHandlerInstalled = true;
  const cleanUp = (signal: NodeJS.Signals) => {
    for (const file of pendingTempFiles) rmSync(file, { force: true });
    process.stderr.write(`\niw: interrupted (${signal}); no files were left half-written\n`);
    process.exit(130);
  };
  process.once('SIGINT', cleanUp);
  process.once('SIGTERM', cleanUp);
}

/**
 * Writes a file so that readers see either the old content or the whole new content, never a part:
 * the data goes to a temp file beside the target, which is then renamed over it.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  installInterruptHandler();
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
