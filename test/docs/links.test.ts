import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/shared.js';

/** The README and every page under docs/: what a user reads after cloning. */
const pages = ['README.md', ...readdirSync(join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];

/** Relative link targets of a Markdown page (web links and in-page anchors left out). */
function relativeLinks(text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1].split('#')[0])
    .filter((target) => target !== '' && !/^[a-z]+:/i.test(target));
}

describe('documentation links', () => {
  for (const page of pages) {
    it(`${page}: every relative link names a file or folder that exists`, () => {
      const missing = relativeLinks(readFileSync(join(repoRoot, page), 'utf8'))
        .filter((target) => !existsSync(join(repoRoot, dirname(page), target)));
      expect(missing).toEqual([]);
    });
  }
});
