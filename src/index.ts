/** iw's programmatic API: every CLI command is a thin layer over these. */
export { runCli } from './cli/program.js';
export { UserError } from './util/errors.js';
export { createRandom, type RandomSource } from './util/random.js';
