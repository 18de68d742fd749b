import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '@huggingface/transformers';
import { findLayers, resolveModel } from '../../src/model/index.js';
import { startHubServer, type HubServer } from '../helpers/hubServer.js';
import { UserError } from '../../src/util/errors.js';
import { removeDir, tempDir, tinyGpt2 } from './modelTestKit.js';

/** A local address nothing listens on (a port just released). */
async function closedPortHost(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}/`;
}

/**
 * The download path, without the network: test/helpers/hubServer.ts plays the hub on 127.0.0.1, serving
 * fixtures/models/gutenberg-gpt2-tiny as someorg/served. transformers.js is pointed at it through env.remoteHost,
 * as a mirror would be.
 */
describe('fetching a hub id into the transformers.js cache', () => {
  let hub: HubServer;
  let host: string;
  const originalHost = env.remoteHost;
  const folders: string[] = [];

  beforeAll(async () => {
    hub = await startHubServer({ repos: { 'someorg/served': { main: tinyGpt2 } } });
    host = `${hub.endpoint}/`;
  });

  afterAll(async () => {
    env.remoteHost = originalHost;
    await hub.close();
    folders.forEach(removeDir);
  });

  it('downloads config, tokenizer and model.onnx, then works offline from the cache', async () => {
    env.remoteHost = host;
    const cacheDir = tempDir('hub-download');
    folders.push(cacheDir);
    const resolved = await resolveModel({ model: 'someorg/served', cacheDir });
    const repo = join(cacheDir, 'someorg', 'served');
    expect(resolved.localPath).toBe(repo);
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']) {
      expect(readFileSync(join(repo, file)).equals(readFileSync(join(tinyGpt2, file)))).toBe(true);
    }
    expect(hub.requests.some((r) => r.server === 'cdn' && r.url.includes('onnx%2Fmodel.onnx'))).toBe(true);
    env.remoteHost = await closedPortHost(); // nothing listens there: offline must not need it
    const offline = await resolveModel({ model: 'someorg/served', cacheDir, offline: true });
    expect((await findLayers(offline)).length).toBe(3);
  });

  it('a repo the hub does not have is one clear sentence', async () => {
    env.remoteHost = host;
    const cacheDir = tempDir('hub-missing');
    folders.push(cacheDir);
    await expect(resolveModel({ model: 'someorg/absent', cacheDir })).rejects.toThrow(UserError);
    await expect(resolveModel({ model: 'someorg/absent', cacheDir })).rejects.toThrow(/someorg\/absent: the Hugging Face hub has no such model/);
  });

  it('no network is one clear sentence', async () => {
    env.remoteHost = await closedPortHost(); // connection refused, as with no network
    const cacheDir = tempDir('hub-unreachable');
    folders.push(cacheDir);
    await expect(resolveModel({ model: 'someorg/anything', cacheDir })).rejects.toThrow(UserError);
    await expect(resolveModel({ model: 'someorg/anything', cacheDir })).rejects.toThrow(/cannot reach the Hugging Face hub for someorg\/anything \(ECONNREFUSED\)/);
  });
});
