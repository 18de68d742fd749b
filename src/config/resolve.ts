import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UserError, shown } from '../util/errors.js';
import { flagName, type OptionSpec } from './option.js';

/**
 * Turns what the user gave (flags and an optional JSON config file) into one validated, fully defaulted
 * options object, in one place (ml-levenberg-marquardt's checkOptions habit): nothing deeper re-checks.
 * Precedence: flag > config file > default.
 */
export function resolveOptions<T extends Record<string, unknown>>(
  specs: readonly OptionSpec[],
  flagValues: Record<string, unknown>,
  configPath?: string,
): T {
  const fromConfig = configPath ? readConfigFile(specs, configPath) : {};
  const resolved: Record<string, unknown> = {};
  for (const spec of specs) {
    const raw = flagValues[spec.name] ?? fromConfig[spec.name] ?? spec.defaultValue;
    if (raw === undefined) continue;
    const fromFlag = flagValues[spec.name] !== undefined;
    resolved[spec.name] = validate(spec, raw, fromFlag ? `--${flagName(spec)}` : `"${spec.name}" in ${configPath}`);
  }
  return resolved as T;
}

function validate(spec: OptionSpec, raw: unknown, where: string): unknown {
  const value = typeof raw === 'string' && spec.parseFlag ? spec.parseFlag(raw) : raw;
  const result = spec.schema.safeParse(value);
  if (result.success) return result.data;
  const reason = result.error.issues[0]?.message ?? 'is not valid';
  throw new UserError(`${where} ${reason} (got ${shown(raw)})`);
}

/** The zod schema of a config file for these options: every key optional, unknown keys refused. */
export function configFileSchema(specs: readonly OptionSpec[]) {
  const shape: Record<string, z.ZodType> = {};
  for (const spec of specs) shape[spec.name] = spec.schema.optional();
  return z.strictObject(shape);
}

function readConfigFile(specs: readonly OptionSpec[], path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UserError(`cannot read config file ${path}: no such file or not readable`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UserError(`config file ${path} must hold a JSON object of options, e.g. {"maxLag": 20}`);
  }
  const known = new Set(specs.map((s) => s.name));
  for (const key of Object.keys(parsed)) {
    if (!known.has(key)) {
      throw new UserError(`config file ${path}: unknown option "${key}" (known: ${[...known].join(', ')})`);
    }
  }
  return parsed as Record<string, unknown>;
}
