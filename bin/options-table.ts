#!/usr/bin/env node
// Prints the README's table of `iw estimate` options (npm run docs:options).
import { optionsMarkdownTable } from '../src/config/optionsMarkdown.js';
import { estimateOptionSpecs } from '../src/config/options/estimateRun.js';

process.stdout.write(`${optionsMarkdownTable(estimateOptionSpecs)}\n`);
