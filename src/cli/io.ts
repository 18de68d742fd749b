/** Where a command writes: the real streams in bin/iw, buffers in tests. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether progress may be drawn (stderr is a terminal). */
  stderrIsTTY: boolean;
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
