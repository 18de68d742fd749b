import { z } from 'zod';

/**
 * What a setting does to a run's numbers, declared on the option so that report settings, `iw check` and
 * resumed runs all read it from one place:
 * - `result`: a different value may change the numbers (seed, maxLag, cleaning, the model's dtype, …);
 * - `runtime`: how or where the run happens, never what it computes (threads, the engine, whose choices give
 *   the same numbers by design, cache folders, the model's path, which differs between machines);
 * - `output`: where results go or how they are shown (out, json, quiet, plots, config).
 */
export type OptionEffect = 'result' | 'runtime' | 'output';

/**
 * One option, declared once (as npm-check-updates does): its flag, its help text, and the zod schema that
 * validates it whether it comes from the command line or from a --config JSON file. Commands pick options by
 * name; flags, the config-file schema, --help, the README table and the TypeScript type of the resolved
 * options (`OptionValues`) are all made from these declarations.
 */
export interface OptionSpec<T = unknown, N extends string = string, E extends OptionEffect = OptionEffect> {
  /** Key in config files and in the programmatic API (camelCase). */
  name: N;
  /** Commander flag syntax, e.g. '--max-lag <n>' or '--quiet'. */
  flag: string;
  /** Help text: what it does and what values are right. */
  description: string;
  /** Validates the value after parsing. Its error message must say what would be right. */
  schema: z.ZodType<T>;
  /** What a different value does to the run's numbers. */
  effect: E;
  /** Turns the flag's text into a value (numbers, lists). Config-file values skip this. */
  parseFlag?: (text: string) => unknown;
  /** Value when neither flag nor config gives one: the one home of each default. */
  defaultValue?: T;
  /** Shown in --help instead of the default value itself (e.g. "machine cores"). */
  defaultDescription?: string;
}

/** An option spec whose value type comes from its schema and whose name is kept as a literal type. */
export type AnyOptionSpec = OptionSpec<any, string, OptionEffect>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Declares an option. The name is kept as a literal type and the value type is the schema's output, so that
 * `OptionValues<typeof specs>` is the exact type of the resolved options: adding an option is one edit.
 */
export function defineOption<const N extends string, S extends z.ZodType, const E extends OptionEffect, const D extends z.output<S> | undefined = undefined>(
  spec: Omit<OptionSpec<z.output<S>, N, E>, 'schema' | 'defaultValue'> & { schema: S; defaultValue?: D },
): OptionSpec<z.output<S>, N, E> & { schema: S; defaultValue: D } {
  return spec as OptionSpec<z.output<S>, N, E> & { schema: S; defaultValue: D };
}

/**
 * A strict zod object of the given options' values, each optional and validated by the option's own schema: how
 * a file (a report's settings) records them. Unknown keys are refused.
 */
export function optionValuesSchema<const Specs extends readonly (AnyOptionSpec & { schema: z.ZodType })[]>(specs: Specs) {
  const shape = Object.fromEntries(specs.map((spec) => [spec.name, spec.schema.optional()]));
  return z.strictObject(shape as { [S in Specs[number] as S['name']]: z.ZodOptional<S['schema']> });
}

type ValueOf<S> = S extends OptionSpec<infer T, string> ? T : never;
type HasDefault<S> = S extends { defaultValue: infer D } ? (undefined extends D ? false : true) : false;

/**
 * The resolved options of a list of specs: an option with a default is always there, one without may be
 * undefined.
 */
export type OptionValues<Specs extends readonly AnyOptionSpec[]> = {
  [S in Specs[number] as HasDefault<S> extends true ? S['name'] : never]: ValueOf<S>;
} & {
  [S in Specs[number] as HasDefault<S> extends true ? never : S['name']]?: ValueOf<S>;
};

/** The flag's long name without dashes and argument, e.g. 'max-lag'. */
export function flagName(spec: AnyOptionSpec): string {
  const match = /--([a-z0-9-]+)/.exec(spec.flag);
  if (!match) throw new Error(`option ${spec.name} has no long flag`);
  return match[1];
}

/** Parses "12" as a number; leaves other text for the schema to reject with a good message. */
export function parseNumber(text: string): unknown {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) ? value : text;
}

/** Parses "1,3,5-8" into [1, 3, 5, 6, 7, 8]; unparseable text is left for the schema to reject. */
export function parseIndexList(text: string): unknown {
  const indices: number[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const range = /^(\d+)-(\d+)$/.exec(part);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (to < from) return text;
      for (let i = from; i <= to; i++) indices.push(i);
    } else if (/^\d+$/.test(part)) {
      indices.push(Number(part));
    } else {
      return text;
    }
  }
  return indices;
}

/** A whole number in [min, max] with a message that says so. */
export function wholeNumber(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
}
