import { removePendingTempFiles } from '../util/atomicWrite.js';

/** On Ctrl-C or SIGTERM: remove half-written temp files, say so, exit 130. Only the CLI installs this. */
export function exitCleanlyOnInterrupt(): void {
  const onSignal = (signal: NodeJS.Signals) => {
    removePendingTempFiles();
    process.stderr.write(`\niw: interrupted (${signal}); no files were left half-written\n`);
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

/**
 * When the reader of stdout goes away (`iw estimate --help | head`), stop quietly as Unix tools do, instead of
 * crashing with an unhandled EPIPE.
 */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      removePendingTempFiles();
      process.exit(0);
    });
  }
}
