import type { CommandRegistration } from './command.js';
import { registerActivations } from './activations.js';
import { registerCheck } from './check.js';
import { registerCompare } from './compare.js';
import { registerEstimate, registerYoking } from './estimate.js';
import { registerLayers } from './layers.js';
import { registerMerge } from './merge.js';
import { registerPlot } from './plot.js';
import { registerRandomize } from './randomize.js';
import { registerStimuli } from './stimuli.js';

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
