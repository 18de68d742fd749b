import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedOutputWarnings } from '../../src/cli/outputPath.js';
import { iw } from '../helpers/runIw.js';

/** Small runs of the shipped tiny model on the shipped corpus. */
const small = ['--sequences', '4', '--words', '16', '--max-lag', '4', '--bootstrap', '0', '--quiet'];

describe('run folders', () => {
  it('refuses a folder holding a finished run; --force replaces it whole, leaving no file of the old run', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'iw-runfolder-')), 'run1');
    const yoking = await iw('yoking', '--sequences', '4', '--max-lag', '10', '--bootstrap', '0', '--quiet', '--out', out);
    expect(yoking.code, yoking.stderr).toBe(0);
    expect(readdirSync(out)).toContain('yoking.csv');

    const refused = await iw('estimate', ...small, '--out', out);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^iw: --out .*run1 holds a finished run \(.*run1\/report\.json\); choose another --out, or add --force to replace that folder whole\n$/);
    expect(readdirSync(out)).toContain('yoking.csv');

    const forced = await iw('estimate', ...small, '--force', '--out', out);
    expect(forced.code, forced.stderr).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).not.toContain('yoking.csv');
    expect(files.filter((name) => name.endsWith('.svg'))).not.toContain('yoking-index.svg');
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).yoking).toBeUndefined();
    // nothing is left beside it: neither the new folder it was written in nor the old one
    expect(readdirSync(join(out, '..'))).toEqual(['run1']);
  }, 120_000);

  it('refuses --force on the folder iw runs in', async () => {
    const out = mkdtempSync(join(tmpdir(), 'iw-runfolder-'));
    expect((await iw('estimate', ...small, '--no-plots', '--out', out)).code).toBe(0);
    const cwd = process.cwd();
    try {
      process.chdir(out);
      const refused = await iw('estimate', ...small, '--force', '--out', '.');
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/--force would replace it/);
    } finally {
      process.chdir(cwd);
    }
    expect(existsSync(join(out, 'report.json'))).toBe(true);
  }, 120_000);
});

describe('--out in a folder others control', () => {
  it('warns for a symbolic link and for a world-writable folder without the sticky bit, not for /tmp-like folders', () => {
    const base = mkdtempSync(join(tmpdir(), 'iw-shared-'));
    const open = join(base, 'open');
    const sticky = join(base, 'sticky');
    mkdirSync(open);
    mkdirSync(sticky);
    chmodSync(open, 0o777);
    chmodSync(sticky, 0o1777);
    expect(sharedOutputWarnings(join(open, 'run'))).toEqual([expect.stringMatching(/^--out .*open\/run lies in .*open, which everyone can write into \(no sticky bit\)/)]);
    expect(sharedOutputWarnings(join(open, 'new', 'deeper'))).toHaveLength(1);
    expect(sharedOutputWarnings(join(sticky, 'run'))).toEqual([]);
    const mine = join(base, 'mine');
    mkdirSync(mine);
    symlinkSync(mine, join(base, 'link'));
    expect(sharedOutputWarnings(join(base, 'link'))).toEqual([`--out ${join(base, 'link')} is a symbolic link (to ${mine}): iw writes where it points`]);
    expect(sharedOutputWarnings(mine)).toEqual([]);
  });

  it('prints the warning as one line and goes on', async () => {
    const open = join(mkdtempSync(join(tmpdir(), 'iw-shared-')), 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const run = await iw('estimate', ...small, '--no-plots', '--out', join(open, 'run'));
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^iw: warning: --out .* lies in .*open, which everyone can write into \(no sticky bit\): .*\n$/);
  }, 120_000);
});
