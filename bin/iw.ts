#!/usr/bin/env node
import { runCli } from '../src/cli/program.js';
import { processIO } from '../src/cli/io.js';
import { exitCleanlyOnInterrupt, exitQuietlyOnClosedPipe } from '../src/cli/interrupt.js';

exitCleanlyOnInterrupt();
exitQuietlyOnClosedPipe();
process.exitCode = await runCli(process.argv.slice(2), processIO);
