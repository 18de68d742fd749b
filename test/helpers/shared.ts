import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/**
 * ../shared (models, corpora) sits beside the checkout on CI and developer machines, not on a user's clone.
 * Tests that need it use describeWithShared, which skips them with a message saying so when it is absent.
 */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sharedDir = resolve(repoRoot, '..', 'shared');
export const hasShared = existsSync(join(sharedDir, 'models', 'README.md'));

export function sharedPath(...parts: string[]): string {
  return join(sharedDir, ...parts);
}

export const describeWithShared: typeof describe = ((name: string, fn: () => void) => {
  if (hasShared) return describe(name, fn);
  return describe.skip(`${name} [skipped: needs ../shared beside the checkout (models and corpora); CI has it]`, fn);
}) as typeof describe;

/** Path to a fixture shipped or generated under fixtures/. */
export function fixturePath(...parts: string[]): string {
  return join(repoRoot, 'fixtures', ...parts);
}
