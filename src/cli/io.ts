import { escapeControlCharacters } from '../util/index.js';

/** Where a command writes: the real streams in bin/iw, buffers in tests. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether progress may be drawn (stderr is a terminal). */
  stderrIsTTY: boolean;
}

/**
 * The same streams with control characters in what is printed escaped (see escapeControlCharacters): model ids,
 * labels and tensor names come from files, and must not drive the terminal. Progress bars, which do, write to
 * the process's stderr directly.
 */
export function terminalSafe(io: CliIO): CliIO {
  return { ...io, stdout: (text) => io.stdout(escapeControlCharacters(text)), stderr: (text) => io.stderr(escapeControlCharacters(text)) };
}

export const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: Boolean(process.stderr.isTTY),
};

/** A warning printer for a command's IO: `iw: warning: …` on stderr, one line each. */
export function warnOn(io: CliIO): (message: string) => void {
  return (message) => io.stderr(`iw: warning: ${message}\n`);
}
