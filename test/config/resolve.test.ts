import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIndexList } from '../../src/config/option.js';
import { resolveOptions } from '../../src/config/resolve.js';
import { seed } from '../../src/config/options/common.js';
import { layers } from '../../src/config/options/model.js';

describe('resolveOptions', () => {
  const specs = [seed, layers];

  it('defaults, then config file, then flags', () => {
    expect(resolveOptions(specs, {})).toEqual({ seed: 1 });
    const dir = mkdtempSync(join(tmpdir(), 'iw-'));
    const file = join(dir, 'base.json');
    writeFileSync(file, JSON.stringify({ seed: 5, layers: [1, 2] }));
    expect(resolveOptions(specs, {}, file)).toEqual({ seed: 5, layers: [1, 2] });
    expect(resolveOptions(specs, { seed: '9' }, file)).toEqual({ seed: 9, layers: [1, 2] });
  });

  it('names the flag, the rule and the value in its error', () => {
    expect(() => resolveOptions(specs, { seed: 'x' })).toThrow('--seed must be a whole number from 0 to 4294967295 (got "x")');
    expect(() => resolveOptions(specs, { layers: '1,a' })).toThrow(/--layers must be layer indices/);
  });

  it('refuses unknown keys in a config file, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iw-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ maxlag: 5 }));
    expect(() => resolveOptions(specs, {}, file)).toThrow(`config file ${file}: unknown option "maxlag"`);
  });

  it('parses index lists with ranges', () => {
    expect(parseIndexList('0,3-5')).toEqual([0, 3, 4, 5]);
    expect(parseIndexList('5-3')).toBe('5-3');
  });
});
