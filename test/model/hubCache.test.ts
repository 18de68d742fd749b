import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '@huggingface/transformers';
import { findLayers, resolveModel } from '../../src/model/index.js';
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
 * The download path, without the network: a small HTTP server on 127.0.0.1 plays the hub
 * (<host>/<repo>/resolve/main/<file>, as env.remotePathTemplate says), serving fixtures/models/gutenberg-gpt2-tiny
 * as someorg/served. transformers.js is pointed at it through env.remoteHost, as a mirror would be.
 */
describe('fetching a hub id into the transformers.js cache', () => {
  let server: Server;
  let host: string;
  const requests: string[] = [];
  const originalHost = env.remoteHost;
  const folders: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push(request.url ?? '');
      const match = /^\/someorg\/served\/resolve\/main\/(.+)$/.exec(request.url ?? '');
      const file = match && join(tinyGpt2, decodeURIComponent(match[1]));
      if (!file || !existsSync(file)) {
        response.writeHead(404).end();
        return;
      }
      const body = readFileSync(file);
      if (request.headers.range === 'bytes=0-0') {
        response.writeHead(206, { 'content-range': `bytes 0-0/${body.length}`, 'content-length': '1' }).end(body.subarray(0, 1));
        return;
      }
      response.writeHead(200, { 'content-length': String(body.length) }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    env.remoteHost = originalHost;
    await new Promise((resolve) => server.close(resolve));
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
    expect(requests.some((url) => url.endsWith('/onnx/model.onnx'))).toBe(true);
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
