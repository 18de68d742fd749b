import { constants } from 'node:os';
import { cleanUpForExit } from '../util/index.js';
import { RELAUNCHED_CHILD, STOPPING_SIGNALS } from './hugePages.js';

/**
 * On SIGINT, SIGTERM or SIGHUP: runs the cleanup registry (src/util/cleanup.ts: half-written temp files removed, a
 * checkpoint given what was measured since its last record), says so, and exits 128 + the signal's number as a
 * shell does (130, 143, 129). Relaunched for huge pages, iw also stops this way when the process that relaunched
 * it ends, however it ended (even by SIGKILL, which it cannot pass on): its IPC channel closes. Only the CLI
 * installs this.
 */
export function exitCleanlyOnInterrupt(): void {
  let stopping = false;
  const stop = (why: string, exitCode: number) => {
    // A signal can come twice (Ctrl-C reaches both iw and the process that relaunched it, which passes it on):
    // the handler stays installed so that the second neither kills the process mid-write nor runs it again.
    if (stopping) return;
    stopping = true;
    const kept = cleanUpForExit().map((message) => `; ${message}`).join('');
    process.stderr.write(`\niw: interrupted (${why}); no files were left half-written${kept}\n`);
    process.exit(exitCode);
  };
  for (const signal of STOPPING_SIGNALS) process.on(signal, () => stop(signal, 128 + constants.signals[signal]));
  if (process.env[RELAUNCHED_CHILD] === '1' && process.channel) {
    process.on('disconnect', () => stop('the iw process that relaunched this one ended', 128 + constants.signals.SIGHUP));
    // listening for 'disconnect' holds the event loop open; the channel must not keep a finished run alive
    process.channel.unref();
  }
}

/**
 * When the reader of stdout goes away (`iw estimate --help | head`), stop quietly as Unix tools do, instead of
 * crashing with an unhandled EPIPE.
 */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      cleanUpForExit();
      process.exit(0);
    });
  }
}
