import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/util/errors.js';
import { fileInside, folderInside, safePathSegment } from '../../src/util/safePath.js';

const folder = mkdtempSync(join(tmpdir(), 'iw-safe-path-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('safePathSegment', () => {
  it('keeps ordinary names and turns separators and other characters into dashes', () => {
    expect(safePathSegment('gpt2 (untrained)', 'report')).toBe('gpt2-untrained');
    expect(safePathSegment('model-a_v1.2', 'report')).toBe('model-a_v1.2');
    expect(safePathSegment('org/model', 'report')).toBe('org-model');
    expect(safePathSegment('a\\b', 'report')).toBe('a-b');
  });

  it('never gives ".", "..", a hidden name or an empty one', () => {
    for (const name of ['.', '..', '...', '', '/', '../..', '-', '\u001b]0;x\u0007']) {
      const segment = safePathSegment(name, 'report');
      expect(segment, JSON.stringify(name)).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/);
    }
    expect(safePathSegment('..', 'report')).toBe('report');
    expect(safePathSegment('.hidden', 'report')).toBe('hidden');
    expect(safePathSegment('../../etc', 'report')).toBe('etc');
  });
});

describe('fileInside and folderInside', () => {
  it('join names that stay inside the folder', () => {
    expect(fileInside(folder, 'report.json')).toBe(join(folder, 'report.json'));
    expect(folderInside(folder, 'model-a')).toBe(join(folder, 'model-a'));
  });

  it('refuse names that resolve outside it, or to it', () => {
    for (const name of ['..', '../x', 'a/../../x', '.', '', '../../../../../../../../etc/passwd']) {
      expect(() => fileInside(folder, name), name).toThrow(UserError);
    }
    expect(() => fileInside(folder, '..')).toThrow(`refusing to write ${join(folder, '..')}: it is not inside ${folder}`);
  });

  it('folderInside refuses a symlink already under the name', () => {
    symlinkSync(tmpdir(), join(folder, 'linked'));
    expect(() => folderInside(folder, 'linked')).toThrow(/is a symbolic link/);
  });
});
