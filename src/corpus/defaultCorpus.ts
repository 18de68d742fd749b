import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DEFAULT_CORPUS = join('fixtures', 'corpora', 'default.txt');

/**
 * The corpus iw uses when none is given: chapters I–IX of Jane Austen's Emma (public domain), shipped in the
 * package at fixtures/corpora/default.txt. Found by walking up from this module, which sits at a different
 * depth when run from src/ (tests) and from dist/src/ (the installed command).
 */
export function defaultCorpusPath(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(folder, DEFAULT_CORPUS);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`the default corpus ${DEFAULT_CORPUS} is missing from the iw package`);
    folder = parent;
  }
}
