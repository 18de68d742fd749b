import { activeCheckpoint } from '../shard/checkpoint.js';
import { removePendingTempFiles } from '../util/atomicWrite.js';

/**
 * On Ctrl-C or SIGTERM (how schedulers stop a job): remove half-written temp files, append what was measured since
 * the last checkpoint to it (whole records only: signals arrive between the run's steps), say so, exit 130. Only
 * the CLI installs this.
 */
export function exitCleanlyOnInterrupt(): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    // A signal can come twice (Ctrl-C reaches both iw and the process that relaunched it, which passes it on):
    // the handler stays installed so that the second neither kills the process mid-write nor runs it again.
    if (stopping) return;
    stopping = true;
    removePendingTempFiles();
    const checkpoint = activeCheckpoint();
    let kept = '';
    if (checkpoint) {
      try {
        checkpoint.flush();
        kept = `; ${checkpoint.path} keeps what was measured: run the same command again to continue`;
      } catch {
        kept = `; ${checkpoint.path} keeps the last complete checkpoint: run the same command again to continue`;
      }
    }
    process.stderr.write(`\niw: interrupted (${signal}); no files were left half-written${kept}\n`);
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
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
