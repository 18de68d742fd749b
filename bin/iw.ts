#!/usr/bin/env node
import { runCli } from '../src/cli/program.js';
import { processIO } from '../src/cli/io.js';

process.exitCode = await runCli(process.argv.slice(2), processIO);
