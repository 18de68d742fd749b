import type { CliIO } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

/** An IO that keeps what a command prints (not a terminal, so no progress is drawn). */
export function capturedIO(): CliIO & { out: string; err: string } {
  const io = { out: '', err: '', stderrIsTTY: false, stdout: (t: string) => { io.out += t; }, stderr: (t: string) => { io.err += t; } };
  return io;
}

/** Runs `iw <argv>` in-process and returns its exit code and what it printed. */
export async function runIw(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = capturedIO();
  const code = await runCli(argv, io);
  return { code, stdout: io.out, stderr: io.err };
}

/** `iw(...argv)`: the same, with the arguments spread. */
export function iw(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runIw(argv);
}
