import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanUpForExit, keepOnInterrupt, removeOnInterrupt } from '../../src/util/cleanup.js';

describe('the cleanup registry', () => {
  it('removes registered files and folders, runs keepers newest first, and then holds nothing', () => {
    const folder = mkdtempSync(join(tmpdir(), 'iw-cleanup-'));
    const [file, tree, forgotten] = ['half.tmp', 'twin.tmp', 'renamed'].map((name) => join(folder, name));
    writeFileSync(file, 'x');
    mkdirSync(join(tree, 'inner'), { recursive: true });
    writeFileSync(forgotten, 'done');
    removeOnInterrupt(file);
    removeOnInterrupt(tree);
    removeOnInterrupt(forgotten)(); // renamed into place: no longer the registry's
    const order: string[] = [];
    keepOnInterrupt(() => { order.push('first'); return 'first kept'; });
    keepOnInterrupt(() => { order.push('second'); return undefined; });
    keepOnInterrupt(() => 'never')();

    expect(cleanUpForExit()).toEqual(['first kept']);
    expect(order).toEqual(['second', 'first']);
    expect([existsSync(file), existsSync(tree), existsSync(forgotten)]).toEqual([false, false, true]);
    expect(cleanUpForExit()).toEqual([]);
    expect(order).toHaveLength(2);
  });
});
