import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/shared.js';

const iwBin = join(repoRoot, 'dist', 'bin', 'iw.js');
const tinyModel = join(repoRoot, 'fixtures', 'models', 'gutenberg-gpt2-tiny');

/**
 * Runs the built `iw` with a module-resolution hook that prints every package it resolves, and returns the
 * packages. (Hooks run off the main thread, so they report on stderr.)
 */
function packagesLoadedBy(args: string[]): string[] {
  const folder = mkdtempSync(join(tmpdir(), 'iw-lazy-'));
  const hooks = join(folder, 'hooks.mjs');
  writeFileSync(hooks, `export async function resolve(specifier, context, next) {
  if (!specifier.startsWith('.') && !specifier.startsWith('node:') && !specifier.startsWith('file:')) process.stderr.write('RESOLVED ' + specifier + '\\n');
  return next(specifier, context);
}\n`);
  const register = join(folder, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hooks}`)});\n`);
  const run = spawnSync(process.execPath, ['--import', register, iwBin, ...args], { encoding: 'utf8' });
  return run.stderr.split('\n').filter((line) => line.startsWith('RESOLVED ')).map((line) => line.slice('RESOLVED '.length));
}

describe.skipIf(!existsSync(iwBin))('commands load only what they use (needs dist/: npm test builds it first)', () => {
  it('iw --help and iw check --help never load ONNX Runtime or transformers.js; iw layers does', () => {
    for (const args of [['--help'], ['check', '--help'], ['estimate', '--help']]) {
      const loaded = packagesLoadedBy(args);
      expect(loaded, args.join(' ')).not.toContain('onnxruntime-node');
      expect(loaded, args.join(' ')).not.toContain('@huggingface/transformers');
      expect(loaded, args.join(' ')).toContain('commander');
    }
    expect(packagesLoadedBy(['layers', '--model', tinyModel])).toContain('onnxruntime-node');
  }, 60_000);
});
