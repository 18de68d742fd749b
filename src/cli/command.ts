import type { Command } from 'commander';
import type { CliIO } from './io.js';
import { flagName, type AnyOptionSpec, type OptionValues } from '../config/index.js';
import { resolveOptions } from '../config/index.js';

/** A command file's entry point: adds one subcommand to the program (src/cli/commands.ts lists them). */
export type CommandRegistration = (program: Command, io: CliIO, setExitCode: (code: number) => void) => void;

/** Registers options on a commander command from their single declarations. */
export function addOptions(command: Command, specs: readonly AnyOptionSpec[]): Command {
  for (const spec of specs) {
    const shown = spec.defaultDescription ?? (spec.defaultValue !== undefined && typeof spec.defaultValue !== 'boolean' ? String(spec.defaultValue) : undefined);
    const description = shown !== undefined ? `${spec.description} (default: ${shown})` : spec.description;
    command.option(spec.flag, description);
    const attribute = camelCase(flagName(spec).replace(/^no-/, ''));
    if (attribute !== spec.name) throw new Error(`option ${spec.name}: flag ${spec.flag} gives attribute ${attribute}`);
  }
  return command;
}

function camelCase(kebab: string): string {
  return kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The option values the user typed on the command line (not commander's implied defaults, such as the
 * `true` a --no-x flag implies), so that a --config file can supply the rest.
 */
export function typedOptionValues(command: Command): Record<string, unknown> {
  const typed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(command.opts())) {
    if (command.getOptionValueSource(name) === 'cli') typed[name] = value;
  }
  return typed;
}

/**
 * A command's options, resolved once: what was typed, over its --config file, over the defaults. `givenAt`
 * receives where each option the user gave came from (commander alone cannot tell a default from a typed value
 * equal to it: getOptionValueSource can, see typedOptionValues).
 */
export function commandOptions<const Specs extends readonly AnyOptionSpec[]>(
  command: Command, specs: Specs, forced: Record<string, unknown> = {}, givenAt?: Map<string, string>,
): OptionValues<Specs> {
  const typed = { ...typedOptionValues(command), ...forced };
  return resolveOptions(specs, typed, typed.config as string | undefined, givenAt);
}
