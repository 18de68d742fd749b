import { runCli } from '../../src/cli/program.js';
import type { CliIO } from '../../src/cli/io.js';

/** Runs `iw ...` in-process and captures what it prints. */
export async function iw(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '', stderr = '';
  const io: CliIO = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, stderrIsTTY: false };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}
