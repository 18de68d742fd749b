import { UserError, shown } from '../util/index.js';
import { readJsonFile } from '../util/index.js';
import { flagName, type AnyOptionSpec, type OptionValues } from './option.js';

/** Options from somewhere other than the command line or a config file (a partial file's header, for iw merge). */
export interface ConfigLayer {
  values: Record<string, unknown>;
  /** Where they come from, for messages: "run.settings in the header of parts/1/iw-partial-1-of-3.iwp". */
  source: string;
}

/**
 * Turns what the user gave (flags and an optional JSON config file, or another config layer) into one validated,
 * fully defaulted options object, in one place (ml-levenberg-marquardt's checkOptions habit): nothing deeper
 * re-checks. Precedence: flag > config > default. `givenAt`, when passed, receives where each option the user gave
 * (not a default) came from: "--max-lag" or "\"maxLag\" in base.json", for messages about option combinations.
 */
export function resolveOptions<const Specs extends readonly AnyOptionSpec[]>(
  specs: Specs,
  flagValues: Record<string, unknown>,
  config?: string | ConfigLayer,
  givenAt?: Map<string, string>,
): OptionValues<Specs> {
  const layer = typeof config === 'string' ? { values: readJsonFile(config, 'config file'), source: `config file ${config}` } : config;
  const fromConfig = layer ? checkConfigLayer(specs, layer) : {};
  const configPath = typeof config === 'string' ? config : layer?.source;
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

function checkConfigLayer(specs: readonly AnyOptionSpec[], { values, source }: { values: unknown; source: string }): Record<string, unknown> {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new UserError(`${source} must hold a JSON object of options, e.g. {"maxLag": 20}`);
  }
  const known = new Set(specs.map((s) => s.name));
  for (const key of Object.keys(values)) {
    if (!known.has(key)) {
      throw new UserError(`${source}: unknown option "${key}" (known: ${[...known].join(', ')})`);
    }
  }
  return values as Record<string, unknown>;
}
