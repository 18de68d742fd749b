import { z } from 'zod';

/**
 * One option, declared once (as npm-check-updates does): its flag, its help text, and the zod schema that
 * validates it whether it comes from the command line or from a --config JSON file. Commands pick options by
 * name; flags, the config-file schema, --help and the README table are all made from these declarations.
 */
export interface OptionSpec<T = unknown> {
  /** Key in config files and in the programmatic API (camelCase). */
  name: string;
  /** Commander flag syntax, e.g. '--max-lag <n>' or '--quiet'. */
  flag: string;
  /** Help text: what it does and what values are right. */
  description: string;
  /** Validates the value after parsing. Its error message must say what would be right. */
  schema: z.ZodType<T>;
  /** Turns the flag's text into a value (numbers, lists). Config-file values skip this. */
  parseFlag?: (text: string) => unknown;
  /** Value when neither flag nor config gives one. */
  defaultValue?: T;
  /** Shown in --help instead of the default value itself (e.g. "machine cores"). */
  defaultDescription?: string;
  /** Option may repeat or hold a list. */
  variadic?: boolean;
}

export function defineOption<T>(spec: OptionSpec<T>): OptionSpec<T> {
  return spec;
}

/** The flag's long name without dashes and argument, e.g. 'max-lag'. */
export function flagName(spec: OptionSpec): string {
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
