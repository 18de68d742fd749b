import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeReportJson } from '../../src/report/index.js';
import { runIw } from '../helpers/runIw.js';
import { syntheticReport } from '../report/helpers/syntheticReport.js';

/**
 * Files from strangers and folders shared with others (issue 27, docs/security.md): each crafted input gets its
 * expected exit code and message, and nothing is written outside --out or through a symlink iw did not create.
 */
const folder = mkdtempSync(join(tmpdir(), 'iw-crafted-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Two report.json files in their own run folders, with the given model ids. */
function reportsOf(name: string, ...modelIds: string[]): string[] {
  return modelIds.map((modelId, i) => {
    const path = join(folder, name, `run${i}`, 'report.json');
    writeReportJson(syntheticReport({ noiseSeed: i + 1, modelId }), path);
    return path;
  });
}

describe('symlinks planted in a shared output folder', () => {
  it('do not redirect iw compare\'s writes: the old predictable temp names of the next 400 PIDs lead nowhere', async () => {
    const paths = reportsOf('planted', 'models/a', 'models/b');
    const out = join(folder, 'planted', 'shared-out');
    mkdirSync(out);
    const victim = join(folder, 'planted', 'victim.txt');
    writeFileSync(victim, 'private\n');
    // What an attacker could plant before (temp files were named .<name>.<pid>.tmp), and the target name itself.
    for (let pid = process.pid; pid < process.pid + 400; pid++) symlinkSync(victim, join(out, `.compare.csv.${pid}.tmp`));
    symlinkSync(victim, join(out, 'compare.html'));
    const result = await runIw(['compare', ...paths, '--out', out]);
    expect(result.code).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('private\n');
    for (const file of ['compare.csv', 'compare.html']) {
      expect(lstatSync(join(out, file)).isSymbolicLink(), file).toBe(false);
    }
    expect(readFileSync(join(out, 'compare.csv'), 'utf8')).toMatch(/^label,report,layer,/);
  });
});

describe('a report whose model.id is "evil/.."', () => {
  it('cannot make iw plot write above --out: its subfolder is a safe name', async () => {
    const paths = reportsOf('dotdot-plot', 'evil/..', 'models/good');
    const out = join(folder, 'dotdot-plot', 'out');
    const result = await runIw(['plot', ...paths, '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${paths[0]}: wrote 4 files to ${join(out, 'report')}\n`);
    expect(result.stdout).toContain(`${paths[1]}: wrote 4 files to ${join(out, 'good')}\n`);
    expect(readdirSync(join(folder, 'dotdot-plot')).sort()).toEqual(['out', 'run0', 'run1']);
    expect(readdirSync(out).sort()).toEqual(['good', 'report']);
  });

  it('cannot make iw compare write above --out', async () => {
    const paths = reportsOf('dotdot-compare', 'evil/..', 'models/good');
    const out = join(folder, 'dotdot-compare', 'out');
    expect((await runIw(['compare', ...paths, '--out', out])).code).toBe(0);
    expect(readdirSync(join(folder, 'dotdot-compare')).sort()).toEqual(['out', 'run0', 'run1']);
    expect(readdirSync(out).sort()).toEqual(['compare.csv', 'compare.html', 'parameters.svg']);
  });

  it('iw plot refuses a subfolder of --out that is a planted symlink, exit 2, writing nothing through it', async () => {
    const paths = reportsOf('linked-plot', 'models/a', 'models/b');
    const out = join(folder, 'linked-plot', 'out');
    const elsewhere = join(folder, 'linked-plot', 'elsewhere');
    mkdirSync(out);
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(out, 'a'));
    const result = await runIw(['plot', ...paths, '--out', out]);
    expect(result).toMatchObject({ code: 2, stderr: `iw: refusing to write into ${join(out, 'a')}: it is a symbolic link; remove it or choose another --out\n` });
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});
