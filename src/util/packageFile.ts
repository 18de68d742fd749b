import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A file shipped in the iw package (e.g. fixtures/models/...), found by walking up from this module, which sits
 * at a different depth when run from src/ (tests) and from dist/src/ (the installed command).
 */
export function packageFile(relativePath: string): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(folder, relativePath);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`${relativePath} is missing from the iw package`);
    folder = parent;
  }
}

/** The version of iw (no name) or of an installed package, from its package.json. */
export function packageVersion(name?: string): string {
  const path = name ? packageFile(join('node_modules', name, 'package.json')) : packageFile('package.json');
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}
