import { join } from 'node:path';
import { packageFile } from '../util/index.js';

/**
 * The corpus iw uses when none is given: chapters I–IX of Jane Austen's Emma (public domain), shipped in the
 * package at fixtures/corpora/default.txt.
 */
export function defaultCorpusPath(): string {
  return packageFile(join('fixtures', 'corpora', 'default.txt'));
}
