import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createTaskRunner } from '../../src/util/workerPool.js';

// a worker in plain JavaScript: squares its number after a delay that makes later tasks finish first; throws on -1
const WORKER = `
import { parentPort } from 'node:worker_threads';
parentPort.on('message', ({ id, task }) => {
  if (task === -1) return parentPort.postMessage({ id, error: 'task -1 failed' });
  setTimeout(() => parentPort.postMessage({ id, result: task * task }), (10 - task) * 3);
});
`;
const folder = mkdtempSync(join(tmpdir(), 'iw-worker-pool-'));
const script = pathToFileURL(join(folder, 'squareWorker.mjs'));
writeFileSync(script, WORKER);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('worker pool', () => {
  it('returns results in task order whichever worker finishes first', async () => {
    const runner = createTaskRunner<number, number>({ script, size: 3, runInProcess: () => NaN });
    try {
      expect(runner.workers).toBe(3);
      expect(await runner.run([1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual([1, 4, 9, 16, 25, 36, 49, 64, 81]);
      expect(await runner.run([3, 2])).toEqual([9, 4]);
    } finally {
      await runner.close();
    }
  });

  it('fails the batch when a task fails', async () => {
    const runner = createTaskRunner<number, number>({ script, size: 2, runInProcess: () => NaN });
    try {
      await expect(runner.run([1, -1, 2])).rejects.toThrow(/task -1 failed/);
    } finally {
      await runner.close();
    }
  });

  it('runs in this thread with one worker, or when the script is not there', async () => {
    const square = (n: number) => n * n;
    for (const runner of [
      createTaskRunner<number, number>({ script, size: 1, runInProcess: square }),
      createTaskRunner<number, number>({ script: pathToFileURL(join(folder, 'absent.js')), size: 4, runInProcess: square }),
    ]) {
      expect(runner.workers).toBe(1);
      expect(await runner.run([2, 3])).toEqual([4, 9]);
      await runner.close();
    }
  });
});
