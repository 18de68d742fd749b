import { z } from 'zod';
import { defineOption, parseNumber, wholeNumber } from '../option.js';

/** Options shared by most commands: output, verbosity, randomness, config. */
export const config = defineOption({
  name: 'config',
  flag: '--config <file>',
  description: 'JSON file of options (keys as in the README table, e.g. {"maxLag": 20}); flags given on the command line win',
  effect: 'output',
  schema: z.string().min(1),
});

export const seed = defineOption({
  name: 'seed',
  flag: '--seed <n>',
  description: 'seed for every random choice (stimuli, splits, bootstrap): same seed, same inputs, same results',
  effect: 'result',
  schema: wholeNumber(0, 2 ** 32 - 1),
  parseFlag: parseNumber,
  defaultValue: 1,
});

export const quiet = defineOption({
  name: 'quiet',
  flag: '--quiet',
  description: 'no progress on stderr (progress is also off when stderr is not a terminal)',
  effect: 'output',
  schema: z.boolean(),
  defaultValue: false,
});

export const json = defineOption({
  name: 'json',
  flag: '--json',
  description: 'print machine-readable JSON on stdout instead of a table',
  effect: 'output',
  schema: z.boolean(),
  defaultValue: false,
});
