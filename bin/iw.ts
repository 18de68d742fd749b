#!/usr/bin/env node
import { relaunchWithHugePages } from '../src/cli/hugePages.js';

// Relaunched with huge pages, this process only waited for the one that ran the command (src/cli/hugePages.ts).
const relaunchedExitCode = await relaunchWithHugePages();
if (relaunchedExitCode !== null) process.exit(relaunchedExitCode);
const [{ runCli }, { processIO }, { exitCleanlyOnInterrupt, exitQuietlyOnClosedPipe }] = await Promise.all([
  import('../src/cli/program.js'), import('../src/cli/io.js'), import('../src/cli/interrupt.js'),
]);
exitCleanlyOnInterrupt();
exitQuietlyOnClosedPipe();
process.exitCode = await runCli(process.argv.slice(2), processIO);
