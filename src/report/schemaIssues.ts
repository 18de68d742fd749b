import type { z } from 'zod';
import { shown } from '../util/index.js';

/** A zod issue path as a reader writes it: layers[3].fit.population.a */
export function fieldPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(top level)' : text;
}

/** The value found at a path in the input, for "(got ...)" in messages; undefined when the path is missing. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * One line per problem, naming the field and what would be right, e.g.
 * `layers[3].fit.population.a must be a finite number (got "x")`. At most `limit` lines, then a count of the rest.
 */
export function describeIssues(error: z.ZodError, input: unknown, limit = 3): string {
  const lines = error.issues.slice(0, limit).map((issue) => {
    const got = valueAt(input, issue.path);
    if (got === undefined && issue.code === 'invalid_type') return `${fieldPath(issue.path)} is missing (expected ${issue.expected})`;
    const gotText = got === undefined ? ' (missing)' : typeof got === 'object' && got !== null ? '' : ` (got ${shown(got)})`;
    const reason = issue.code === 'unrecognized_keys' ? `has unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
    return `${fieldPath(issue.path)} ${reason}${issue.code === 'unrecognized_keys' ? '' : gotText}`;
  });
  const rest = error.issues.length - lines.length;
  return lines.join('; ') + (rest > 0 ? `; and ${rest} more problem${rest === 1 ? '' : 's'}` : '');
}
