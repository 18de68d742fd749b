import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from '../../util/index.js';
import { layerQuantities, type LayerQuantity } from '../layerQuantities.js';
import { describeIssues } from '../schemaIssues.js';

/**
 * The quantities `iw check` compares, per layer: those of layerQuantities (checked by default) and `window`, the
 * largest change of the population window over lags (checked only when a tolerance file names it).
 */
export const checkedQuantities = [...layerQuantities, 'window'] as const;
export type CheckedQuantity = LayerQuantity | 'window';

/**
 * A tolerance: `{"abs": x}`, `{"rel": x}` or both (a change is within when |change| ≤ abs + rel·|baseline|);
 * "interval" (within the baseline's bootstrap interval); or "exact" (equal up to 1e-6 relative, 1e-9 absolute).
 */
const message = 'must be {"abs": number ≥ 0}, {"rel": number ≥ 0}, both, "interval" or "exact"';
const nonNegative = z.number({ error: message }).min(0, { error: message });
const ruleSchema = z.union([
  z.strictObject({ abs: nonNegative.optional(), rel: nonNegative.optional() })
    .refine((r) => r.abs !== undefined || r.rel !== undefined, { error: message }),
  z.literal('interval'),
  z.literal('exact'),
], { error: message });

export type ToleranceRule = z.output<typeof ruleSchema>;

const toleranceShape: Record<string, z.ZodOptional<typeof ruleSchema>> = { default: ruleSchema.optional() };
for (const quantity of checkedQuantities) toleranceShape[quantity] = ruleSchema.optional();

/** A tolerance file: rules keyed by quantity, and "default" for every parameter quantity not named (not `window`). */
export const toleranceFileSchema = z.strictObject(toleranceShape);
export type ToleranceFile = Partial<Record<CheckedQuantity | 'default', ToleranceRule>>;

export function readToleranceFile(path: string): ToleranceFile {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ? 'no such file or not readable' : `not valid JSON: ${(error as Error).message}`;
    throw new UserError(`tolerance file ${path}: ${reason}`);
  }
  return parseToleranceFile(value, path);
}

export function parseToleranceFile(value: unknown, source: string): ToleranceFile {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UserError(`tolerance file ${source} must hold a JSON object such as {"a": {"abs": 0.05}, "halfDecayLag": {"rel": 0.1}}`);
  }
  const result = toleranceFileSchema.safeParse(value);
  if (!result.success) {
    const unknown = result.error.issues.find((i) => i.code === 'unrecognized_keys');
    const known = ` (known: default, ${checkedQuantities.join(', ')})`;
    throw new UserError(`tolerance file ${source}: ${describeIssues(result.error, value)}${unknown ? known : ''}`);
  }
  return result.data as ToleranceFile;
}
