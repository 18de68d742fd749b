import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { optionsMarkdownTable } from '../../src/config/optionsMarkdown.js';
import { estimateOptionSpecs } from '../../src/config/options/estimateRun.js';
import { repoRoot } from '../helpers/shared.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

describe('README', () => {
  it('holds the option table made from the option declarations (npm run docs:options)', () => {
    expect(readme).toContain(optionsMarkdownTable(estimateOptionSpecs));
  });

  it('starts with the two commands for a fresh clone, and CI runs the second', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)![1].trim().split('\n');
    expect(firstBlock).toEqual(['npm ci && npx iw estimate', 'npm test']);
    const ci = readFileSync(join(repoRoot, '.ci', 'run'), 'utf8');
    expect(ci).toMatch(/^npm ci$/m);
    expect(ci).toMatch(/^npm test$/m);
  });
});
