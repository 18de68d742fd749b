import type { Command } from 'commander';
import type { CliIO } from './io.js';
import { registerActivations } from './activations.js';
import { registerCheck } from './check.js';
import { registerCompare } from './compare.js';
import { registerEstimate, registerYoking } from './estimate.js';
import { registerLayers } from './layers.js';
import { registerMerge } from './merge.js';
import { registerPlot } from './plot.js';
import { registerRandomize } from './randomize.js';
import { registerStimuli } from './stimuli.js';

/** A command file's entry point: adds one subcommand to the program. */
export type CommandRegistration = (program: Command, io: CliIO, setExitCode: (code: number) => void) => void;

/** Every subcommand, in the order --help lists them. Add a command: write src/cli/<name>.ts, list it here. */
export const commandRegistrations: CommandRegistration[] = [
  registerEstimate,
  registerYoking,
  registerMerge,
  registerStimuli,
  registerLayers,
  registerActivations,
  registerRandomize,
  registerCheck,
  registerCompare,
  registerPlot,
];
