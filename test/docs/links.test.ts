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

/** Links that name an anchor: [the page they point to (relative to the repository), the anchor]. */
function anchoredLinks(page: string, text: string): Array<[string, string]> {
  return [...text.matchAll(/\]\(([^)\s]*)#([^)\s]+)\)/g)]
    .filter((match) => !/^[a-z]+:/i.test(match[1]))
    .map((match): [string, string] => [match[1] === '' ? page : join(dirname(page), match[1]), match[2]])
    .filter(([target]) => target.endsWith('.md'));
}

/** The anchors GitHub gives a page's headings: lowercased, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingAnchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading] of text.replace(/```[\s\S]*?```/g, '').matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = heading.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

describe('documentation links', () => {
  for (const page of pages) {
    it(`${page}: every anchor names a heading of its page`, () => {
      const broken = anchoredLinks(page, readFileSync(join(repoRoot, page), 'utf8'))
        .filter(([target, anchor]) => existsSync(join(repoRoot, target)) && !headingAnchors(readFileSync(join(repoRoot, target), 'utf8')).has(anchor))
        .map(([target, anchor]) => `${target}#${anchor}`);
      expect(broken).toEqual([]);
    });

    it(`${page}: every relative link names a file or folder that exists`, () => {
      const missing = relativeLinks(readFileSync(join(repoRoot, page), 'utf8'))
        .filter((target) => !existsSync(join(repoRoot, dirname(page), target)));
      expect(missing).toEqual([]);
    });
  }
});
