import { Command, CommanderError } from 'commander';
import { isUserError } from '../util/index.js';
import { packageVersion } from '../util/index.js';
import { terminalSafe, type CliIO } from './io.js';
import { commandRegistrations } from './commands.js';

/** Builds the `iw` program. Each command lives in its own file under src/cli/ and registers itself. */
export function buildProgram(io: CliIO, setExitCode: (code: number) => void): Command {
  const program = new Command('iw')
    .description('Integration windows of language models: how far back each layer integrates its input.\n' +
      'Method: Skrill & Norman-Haignere, NeurIPS 2023. Start with: iw estimate --help')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  for (const register of commandRegistrations) register(program, io, setExitCode);
  return program;
}

/**
 * Runs the CLI and returns the exit code: 0 success, 1 a bug in iw (with stack) or a failed check,
 * 2 a user mistake (one line, no stack).
 */
export async function runCli(argv: readonly string[], printingTo: CliIO): Promise<number> {
  const io = terminalSafe(printingTo);
  let exitCode = 0;
  const program = buildProgram(io, (code) => { exitCode = code; });
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version "errors" are successes; everything else commander rejects is a usage mistake.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isUserError(error)) {
      io.stderr(`iw: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`iw: internal error (please report it): ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}
