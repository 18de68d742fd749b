import { UserError, shown } from '../util/errors.js';
import { readJsonFile } from '../util/readJsonFile.js';
import { flagName, type AnyOptionSpec, type OptionValues } from './option.js';

/**
 * Turns what the user gave (flags and an optional JSON config file) into one validated, fully defaulted
 * options object, in one place (ml-levenberg-marquardt's checkOptions habit): nothing deeper re-checks.
 * Precedence: flag > config file > default. `givenAt`, when passed, receives where each option the user gave
 * (not a default) came from: "--max-lag" or "\"maxLag\" in base.json", for messages about option combinations.
 */
export function resolveOptions<const Specs extends readonly AnyOptionSpec[]>(
  specs: Specs,
  flagValues: Record<string, unknown>,
  configPath?: string,
  givenAt?: Map<string, string>,
): OptionValues<Specs> {
  const fromConfig = configPath ? readConfigFile(specs, configPath) : {};
  const resolved: Record<string, unknown> = {};
  for (const spec of specs) {
    const raw = flagValues[spec.name] ?? fromConfig[spec.name] ?? spec.defaultValue;
    if (raw === undefined) continue;
    const fromFlag = flagValues[spec.name] !== undefined;
    const where = fromFlag ? `--${flagName(spec)}` : `"${spec.name}" in ${configPath}`;
    if (fromFlag || fromConfig[spec.name] !== undefined) givenAt?.set(spec.name, where);
    resolved[spec.name] = validate(spec, raw, where);
  }
  // Every spec's value was parsed by its own schema above, so this object is OptionValues<Specs> by construction.
  return resolved as OptionValues<Specs>;
}

function validate(spec: AnyOptionSpec, raw: unknown, where: string): unknown {
  const value = typeof raw === 'string' && spec.parseFlag ? spec.parseFlag(raw) : raw;
  const result = spec.schema.safeParse(value);
  if (result.success) return result.data;
  const reason = result.error.issues[0]?.message ?? 'is not valid';
  throw new UserError(`${where} ${reason} (got ${shown(raw)})`);
}

function readConfigFile(specs: readonly AnyOptionSpec[], path: string): Record<string, unknown> {
  const parsed = readJsonFile(path, 'config file');
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
