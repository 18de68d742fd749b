import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as NodeCrypto from 'node:crypto';
import type * as NodeFs from 'node:fs';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * What writeFileAtomic does with the file system is observed through node:fs and node:crypto (mocked around the
 * real functions): the temp file's mode while data is written, the fsyncs, and the random bytes of its name, so a
 * test can make the name predictable and plant a symlink under it.
 */
const observed = vi.hoisted(() => ({ modesWhileWriting: [] as number[], fsyncs: [] as string[], forcedNames: [] as Buffer[] }));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof NodeFs>();
  return {
    ...fs,
    writeSync: (fd: number, ...rest: unknown[]) => {
      observed.modesWhileWriting.push(fs.fstatSync(fd).mode & 0o777);
      return (fs.writeSync as (...args: unknown[]) => number)(fd, ...rest);
    },
    fsyncSync: (fd: number) => {
      observed.fsyncs.push(fs.fstatSync(fd).isDirectory() ? 'folder' : 'file');
      fs.fsyncSync(fd);
    },
  };
});

vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof NodeCrypto>();
  return { ...crypto, randomBytes: (size: number) => observed.forcedNames.shift() ?? crypto.randomBytes(size) };
});

const { writeFileAtomic } = await import('../../src/util/atomicWrite.js');

const folder = mkdtempSync(join(tmpdir(), 'iw-atomic-write-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A private file a planted symlink points at, with the content it must keep. */
function victim(name: string): string {
  const path = join(folder, `${name}-victim`);
  writeFileSync(path, 'private\n');
  return path;
}

beforeEach(() => {
  observed.modesWhileWriting.length = 0;
  observed.fsyncs.length = 0;
  observed.forcedNames.length = 0;
});

describe('writeFileAtomic', () => {
  it('writes the data through a temp file readable by its owner only, flushes it and then the folder', () => {
    const out = join(folder, 'plain');
    const path = join(out, 'table.csv');
    writeFileAtomic(path, 'a,b\n1,2\n');
    expect(readFileSync(path, 'utf8')).toBe('a,b\n1,2\n');
    expect(observed.modesWhileWriting.length).toBeGreaterThan(0);
    for (const mode of observed.modesWhileWriting) expect(mode.toString(8)).toBe('600');
    expect(observed.fsyncs).toEqual(['file', 'folder']);
    // Once renamed it has the mode any file created by this process gets (0666 less the umask).
    const umask = process.umask();
    expect((statSync(path).mode & 0o777).toString(8)).toBe((0o666 & ~umask).toString(8));
    expect(readdirSync(out)).toEqual(['table.csv']);
  });

  it('replaces a symlink planted at the target name instead of writing through it', () => {
    const target = victim('target');
    const out = join(folder, 'planted-target');
    const path = join(out, 'compare.csv');
    writeFileAtomic(join(out, 'first'), 'x');
    symlinkSync(target, path);
    writeFileAtomic(path, 'label,value\n');
    expect(readFileSync(target, 'utf8')).toBe('private\n');
    expect(lstatSync(path).isSymbolicLink()).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('label,value\n');
  });

  it('never opens a symlink planted under the temp name: the name is refused and a fresh one drawn', () => {
    const target = victim('temp');
    const out = join(folder, 'planted-temp');
    writeFileAtomic(join(out, 'first'), 'x');
    // The first name drawn is made predictable (all zero bytes) and a symlink waits under it.
    const guessed = Buffer.alloc(16);
    observed.forcedNames.push(guessed);
    const planted = join(out, `.compare.csv.iw-tmp-${guessed.toString('hex')}`);
    symlinkSync(target, planted);
    writeFileAtomic(join(out, 'compare.csv'), 'label,value\n');
    expect(readFileSync(target, 'utf8')).toBe('private\n');
    expect(readFileSync(join(out, 'compare.csv'), 'utf8')).toBe('label,value\n');
    expect(lstatSync(planted).isSymbolicLink()).toBe(true);
    expect(readdirSync(out).sort()).toEqual(['.compare.csv.iw-tmp-' + guessed.toString('hex'), 'compare.csv', 'first']);
  });

  it('gives up with the system\'s error when every name drawn is taken', () => {
    const out = join(folder, 'all-taken');
    writeFileAtomic(join(out, 'first'), 'x');
    const guessed = Buffer.alloc(16, 7);
    symlinkSync(victim('taken'), join(out, `.f.iw-tmp-${guessed.toString('hex')}`));
    observed.forcedNames.push(...Array.from({ length: 8 }, () => guessed));
    expect(() => writeFileAtomic(join(out, 'f'), 'y')).toThrow(/EEXIST/);
    expect(existsSync(join(out, 'f'))).toBe(false);
  });

  it('takes an existing file\'s place whole (readers never see part of it)', () => {
    const path = join(folder, 'whole', 'report.json');
    writeFileAtomic(path, 'old');
    writeFileAtomic(path, new Uint8Array(Buffer.from('new content')));
    expect(readFileSync(path, 'utf8')).toBe('new content');
  });
});
