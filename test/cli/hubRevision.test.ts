import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '@huggingface/transformers';
import { startHubServer, type HubServer } from '../helpers/hubServer.js';
import { iw } from '../helpers/runIw.js';
import { removeDir, stories, tempDir, tinyGpt2 } from '../model/modelTestKit.js';

/**
 * --revision and the hub's failures as the CLI meets them, against the local hub of test/helpers/hubServer.ts
 * (HF_ENDPOINT): someorg/served is gutenberg-gpt2-tiny (3 layers) at main and stories260K (6 layers) at v2.
 */
describe('iw with a hub id at a revision', () => {
  let hub: HubServer;
  let folder: string;
  const saved = { endpoint: process.env.HF_ENDPOINT, remoteHost: env.remoteHost };
  const layerCount = (stdout: string) => (JSON.parse(stdout) as { layers: unknown[] }).layers.length;

  beforeAll(async () => {
    hub = await startHubServer({ repos: { 'someorg/served': { main: tinyGpt2, v2: stories } } });
    process.env.HF_ENDPOINT = hub.endpoint;
    folder = tempDir('cli-revision');
  });
  afterAll(async () => {
    if (saved.endpoint === undefined) delete process.env.HF_ENDPOINT;
    else process.env.HF_ENDPOINT = saved.endpoint;
    env.remoteHost = saved.remoteHost;
    await hub.close();
    removeDir(folder);
  });

  it('--revision chooses the version, on the command line and in --config', async () => {
    const cache = join(folder, 'cache');
    const main = await iw('layers', '--model', 'someorg/served', '--cache-dir', cache, '--json');
    expect(main.code).toBe(0);
    expect(layerCount(main.stdout)).toBe(3);
    const v2 = await iw('layers', '--model', 'someorg/served', '--revision', 'v2', '--cache-dir', cache, '--json');
    expect(v2.code).toBe(0);
    expect(layerCount(v2.stdout)).toBe(6);
    const config = join(folder, 'config.json');
    writeFileSync(config, JSON.stringify({ model: 'someorg/served', revision: 'v2', cacheDir: cache, offline: true }));
    const fromConfig = await iw('layers', '--config', config, '--json');
    expect(fromConfig.code).toBe(0);
    expect(layerCount(fromConfig.stdout)).toBe(6);
  });

  it('report.json records the revision and the commit it resolved to', async () => {
    const out = join(folder, 'run');
    const run = await iw('estimate', '--model', 'someorg/served', '--revision', 'v2', '--cache-dir', join(folder, 'cache'),
      '--sequences', '4', '--words', '24', '--max-lag', '6', '--bootstrap', '0', '--out', out, '--quiet');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { model: Record<string, unknown>; settings: Record<string, unknown> };
    expect(report.model).toMatchObject({ id: 'someorg/served', architecture: 'llama', revision: 'v2', commit: hub.commitOf('someorg/served', 'v2') });
    expect(report.settings.revision).toBe('v2');
  });

  it('HTTP failures are exit 2 and one line, no stack', async () => {
    const cache = join(folder, 'cache-failures');
    const missing = await iw('layers', '--model', 'someorg/served', '--revision', 'step7', '--cache-dir', cache);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('iw: someorg/served has no revision "step7" (404 for config.json): give --revision a branch, tag or commit of the repo\n');
    hub.fault('config.json', ...Array.from({ length: 5 }, () => ({ status: 500, retryAfter: 0, head: true })));
    const failing = await iw('layers', '--model', 'someorg/served', '--cache-dir', cache);
    expect(failing.code).toBe(2);
    expect(failing.stderr).toBe('iw: the hub answered 500 Internal Server Error for config.json of someorg/served at revision main, 5 times: the server is failing: run again later\n');
    const local = await iw('layers', '--model', tinyGpt2, '--revision', 'v2');
    expect(local.code).toBe(2);
    expect(local.stderr.trim().split('\n')).toHaveLength(1);
  });
});
