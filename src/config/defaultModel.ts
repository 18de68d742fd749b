import { join } from 'node:path';
import { packageFile } from '../util/index.js';

/**
 * The model iw uses when --model is not given, so that `npx iw estimate` runs on a fresh clone:
 * gutenberg-gpt2-tiny (GPT-2, 2 blocks of 64 units, trained on the public-domain novels the default corpus
 * comes from), shipped at fixtures/models/gutenberg-gpt2-tiny.
 */
export function defaultModelPath(): string {
  return packageFile(join('fixtures', 'models', 'gutenberg-gpt2-tiny'));
}
