import { commandRegistrations, type CommandRegistration } from '../../../src/cli/commands.js';
import { runCli } from '../../../src/cli/program.js';

/**
 * Runs `iw <argv>` in-process with the given command registered (added to the program's list unless the
 * integrator has listed it already), capturing stdout and stderr.
 */
export async function runCommand(registration: CommandRegistration, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  if (!commandRegistrations.includes(registration)) commandRegistrations.push(registration);
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, stderrIsTTY: false });
  return { code, stdout, stderr };
}
