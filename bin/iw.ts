#!/usr/bin/env node
import { runCli } from '../src/cli/program.js';
import { processIO } from '../src/cli/io.js';
import { exitCleanlyOnInterrupt } from '../src/cli/interrupt.js';

exitCleanlyOnInterrupt();
process.exitCode = await runCli(process.argv.slice(2), processIO);
