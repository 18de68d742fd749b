import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { env } from '@huggingface/transformers';
import { findLayers, resolveModel } from '../../src/model/index.js';
import { isNetworkError } from '../../src/model/hub/hubHttp.js';
import { cleanUpForExit } from '../../src/util/cleanup.js';
import { UserError } from '../../src/util/errors.js';
import { gitBlobSha1, sha256Of, startHubServer, type HubServer } from '../helpers/hubServer.js';
import { removeDir, stories, tempDir, tinyGpt2 } from './modelTestKit.js';

/** A local address nothing listens on (a port just released): connection refused, as with no network. */
async function closedPortEndpoint(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];
const tinyOnnx = readFileSync(join(tinyGpt2, 'onnx/model.onnx'));

/**
 * The whole hub path against test/helpers/hubServer.ts (a hub and a CDN on 127.0.0.1, reached through HF_ENDPOINT
 * as a mirror would be), never the real network. someorg/served serves fixtures/models/gutenberg-gpt2-tiny at main
 * and stories260K at v2; the expected bytes are the fixture files themselves.
 */
describe('the hub cache', () => {
  let hub: HubServer;
  const repos = { 'someorg/served': { main: tinyGpt2, v2: stories }, 'someorg/notokenizer': { main: join(tinyGpt2, 'onnx') } };
  const saved = { endpoint: process.env.HF_ENDPOINT, token: process.env.HF_TOKEN, tokenPath: process.env.HF_TOKEN_PATH, remoteHost: env.remoteHost };
  const folders: string[] = [];
  let stderr: string[];
  const cache = (label: string) => {
    const folder = tempDir(label);
    folders.push(folder);
    return folder;
  };
  const snapshotOf = (cacheDir: string, revision = 'main', repo = 'someorg/served') =>
    join(cacheDir, `models--${repo.replace('/', '--')}`, 'snapshots', hub.commitOf(repo, revision));

  beforeAll(async () => {
    hub = await startHubServer({ repos });
  });
  beforeEach(() => {
    process.env.HF_ENDPOINT = hub.endpoint;
    delete process.env.HF_TOKEN;
    process.env.HF_TOKEN_PATH = join(tmpdir(), 'iw-hub-test-no-such-folder', 'token'); // no `huggingface-cli login` token of this machine
    hub.requests.length = 0;
    stderr = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((text) => (stderr.push(String(text)), true));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    repos['someorg/served'].main = tinyGpt2;
  });
  afterAll(async () => {
    for (const [key, value] of [['HF_ENDPOINT', saved.endpoint], ['HF_TOKEN', saved.token], ['HF_TOKEN_PATH', saved.tokenPath]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    env.remoteHost = saved.remoteHost;
    await hub.close();
    folders.forEach(removeDir);
  });

  it('downloads a revision into huggingface_hub\'s layout, records its commit, then works offline', async () => {
    const cacheDir = cache('hub-download');
    const resolved = await resolveModel({ model: 'someorg/served', cacheDir });
    const snapshot = snapshotOf(cacheDir);
    expect(resolved.localPath).toBe(snapshot);
    expect(resolved.revision).toBe('main');
    expect(resolved.commit).toBe(hub.commitOf('someorg/served', 'main'));
    for (const file of MODEL_FILES) expect(readFileSync(join(snapshot, file)).equals(readFileSync(join(tinyGpt2, file)))).toBe(true);
    expect(readFileSync(join(cacheDir, 'models--someorg--served', 'refs', 'main'), 'utf8')).toBe(resolved.commit);
    expect(await resolved.sha256()).toBe(sha256Of(tinyOnnx));
    expect(env.remoteHost).toBe(`${hub.endpoint}/`); // transformers.js is pointed at HF_ENDPOINT too
    process.env.HF_ENDPOINT = await closedPortEndpoint(); // nothing listens there: offline must not need it
    const offline = await resolveModel({ model: 'someorg/served', cacheDir, offline: true });
    expect(offline.localPath).toBe(snapshot);
    expect((await findLayers(offline)).length).toBe(3);
    // A cached commit is never asked for again; HF_HUB_OFFLINE=1 means --offline.
    expect((await resolveModel({ model: 'someorg/served', cacheDir, revision: resolved.commit })).localPath).toBe(snapshot);
    process.env.HF_HUB_OFFLINE = '1';
    try {
      expect((await resolveModel({ model: 'someorg/served', cacheDir })).localPath).toBe(snapshot);
      await expect(resolveModel({ model: 'someorg/served', cacheDir, revision: 'v2' })).rejects.toThrow(/someorg\/served at revision v2 is not in the cache .* \(--offline\)/);
    } finally {
      delete process.env.HF_HUB_OFFLINE;
    }
  });

  it('caches revisions side by side: v2 is another snapshot and never reads main\'s files', async () => {
    const cacheDir = cache('hub-revisions');
    const main = await resolveModel({ model: 'someorg/served', cacheDir });
    hub.requests.length = 0;
    const v2 = await resolveModel({ model: 'someorg/served', cacheDir, revision: 'v2' });
    expect(main.architecture).toBe('gpt2');
    expect(v2.architecture).toBe('llama'); // stories260K
    expect(v2.localPath).toBe(snapshotOf(cacheDir, 'v2'));
    expect(v2.commit).toBe(hub.commitOf('someorg/served', 'v2'));
    // The first request asks for v2; the rest for the commit it resolved to; none for main.
    const hubUrls = hub.requests.filter((r) => r.server === 'hub').map((r) => r.url);
    expect(hubUrls[0]).toContain('/resolve/v2/config.json');
    expect(hubUrls.slice(1).every((url) => url.includes(`/resolve/${v2.commit}/`))).toBe(true);
    const offline = await resolveModel({ model: 'someorg/served', cacheDir, revision: 'v2', offline: true });
    expect(offline.architecture).toBe('llama');
    expect((await resolveModel({ model: 'someorg/served', cacheDir, offline: true })).architecture).toBe('gpt2');
    await expect(resolveModel({ model: 'someorg/served', cacheDir, revision: 'v3', offline: true })).rejects.toThrow(/someorg\/served at revision v3 is not in the cache/);
  });

  it('sees a branch that moved on the hub (revalidation, as huggingface_hub does)', async () => {
    const cacheDir = cache('hub-moved');
    expect((await resolveModel({ model: 'someorg/served', cacheDir })).architecture).toBe('gpt2');
    repos['someorg/served'].main = stories;
    const moved = await resolveModel({ model: 'someorg/served', cacheDir });
    expect(moved.architecture).toBe('llama');
    expect(readFileSync(join(cacheDir, 'models--someorg--served', 'refs', 'main'), 'utf8')).toBe(moved.commit);
  });

  it('a --revision for a local folder, or one that could leave the cache, is refused', async () => {
    await expect(resolveModel({ model: tinyGpt2, revision: 'v2' })).rejects.toThrow(/is a local folder; --revision chooses a version of a hub id/);
    await expect(resolveModel({ model: 'someorg/served', cacheDir: cache('hub-bad-revision'), revision: '../../x' })).rejects.toThrow(/--revision must be a branch, tag or commit/);
  });

  it('says which repo, revision or file the hub does not have (404)', async () => {
    const cacheDir = cache('hub-404');
    await expect(resolveModel({ model: 'someorg/absent', cacheDir })).rejects.toThrow(/^someorg\/absent: the hub at http:\/\/127\.0\.0\.1:\d+ has no such repo \(404 for config\.json\); check the id, or set HF_TOKEN if it is private$/);
    await expect(resolveModel({ model: 'someorg/served', cacheDir, revision: 'step9' })).rejects.toThrow(/^someorg\/served has no revision "step9" \(404 for config\.json\)/);
    await expect(resolveModel({ model: 'someorg/notokenizer', cacheDir })).rejects.toThrow(/^someorg\/notokenizer at revision main has no file config\.json \(404\)/);
    await expect(resolveModel({ model: 'someorg/served', cacheDir, dtype: 'q4' })).rejects.toThrow(/someorg\/served at revision main on .* has no ONNX file for --dtype q4/);
  });

  it('401 and 403 say the repo is gated or private and to set HF_TOKEN', async () => {
    const cacheDir = cache('hub-401');
    hub.fault('config.json', { status: 401, head: true });
    const error = await resolveModel({ model: 'someorg/served', cacheDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/^someorg\/served: the hub answered 401 Unauthorized for config\.json: the repo is gated or private; set HF_TOKEN/);
    process.env.HF_TOKEN = 'hf_refused';
    hub.fault('config.json', { status: 403, head: true });
    await expect(resolveModel({ model: 'someorg/served', cacheDir })).rejects.toThrow(/403 Forbidden .* the token in HF_TOKEN was refused/);
  });

  it('retries 500, 503 and 429 with backoff, then succeeds', async () => {
    const cacheDir = cache('hub-retry');
    hub.fault('config.json', { status: 500, head: true });
    hub.fault('tokenizer.json', { status: 429, retryAfter: 0, head: true }, { status: 503, retryAfter: 0 });
    hub.fault('onnx/model.onnx', { status: 502, retryAfter: 0 });
    const resolved = await resolveModel({ model: 'someorg/served', cacheDir });
    for (const file of MODEL_FILES) expect(readFileSync(join(resolved.localPath, file)).equals(readFileSync(join(tinyGpt2, file)))).toBe(true);
    expect(hub.requests.filter((r) => r.method === 'HEAD' && r.url.endsWith('/config.json'))).toHaveLength(2);
  });

  it('a server that keeps failing is one line after five tries, exit 2', async () => {
    const cacheDir = cache('hub-503');
    hub.fault('config.json', ...Array.from({ length: 5 }, () => ({ status: 503, retryAfter: 0, head: true })));
    const error = await resolveModel({ model: 'someorg/served', cacheDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe('the hub answered 503 Service Unavailable for config.json of someorg/served at revision main, 5 times: the server is failing: run again later');
    hub.fault('config.json', ...Array.from({ length: 5 }, () => ({ status: 429, retryAfter: 0, head: true })));
    await expect(resolveModel({ model: 'someorg/served', cacheDir })).rejects.toThrow(/429 Too Many Requests .* wait a while and run again/);
  });

  it('a truncated body, with or without Content-Length, is resumed with a Range and checked', async () => {
    for (const truncate of ['withLength', 'withoutLength'] as const) {
      const cacheDir = cache(`hub-truncated-${truncate}`);
      hub.requests.length = 0;
      hub.fault('onnx/model.onnx', { truncate });
      hub.fault('tokenizer.json', { truncate });
      const resolved = await resolveModel({ model: 'someorg/served', cacheDir });
      expect(readFileSync(resolved.onnxPath).equals(tinyOnnx)).toBe(true);
      expect(readFileSync(join(resolved.localPath, 'tokenizer.json')).equals(readFileSync(join(tinyGpt2, 'tokenizer.json')))).toBe(true);
      const resumedAt = Number(/^bytes=(\d+)-$/.exec(hub.requests.find((r) => r.server === 'cdn' && r.range)?.range ?? '')?.[1]);
      // A body that ends cleanly, short, is resumed where it ended; a cut connection where the bytes that arrived end.
      if (truncate === 'withoutLength') expect(resumedAt).toBe(Math.floor(tinyOnnx.length / 2));
      else expect(resumedAt > 0 && resumedAt <= tinyOnnx.length / 2).toBe(true);
      expect(readdirSync(join(cacheDir, 'models--someorg--served', 'blobs'))).toEqual([]);
    }
  });

  it('a body damaged on the way fails its sha256 check and is not cached', async () => {
    const cacheDir = cache('hub-corrupt');
    hub.fault('onnx/model.onnx', { corrupt: true });
    await expect(resolveModel({ model: 'someorg/served', cacheDir })).rejects.toThrow(
      new RegExp(`^onnx/model\\.onnx of someorg/served: the downloaded bytes have sha256 [0-9a-f]{64}, not the ${sha256Of(tinyOnnx)} the hub announced`),
    );
    expect(existsSync(join(snapshotOf(cacheDir), 'onnx', 'model.onnx'))).toBe(false);
    expect(readdirSync(join(cacheDir, 'models--someorg--served', 'blobs'))).toEqual([]);
  });

  it('a download killed midway is resumed within the run, and by the next run when the run gave up', async () => {
    const cacheDir = cache('hub-killed');
    hub.fault('onnx/model.onnx', { kill: 100_000 }, ...Array.from({ length: 5 }, () => ({ kill: 0 })));
    await expect(resolveModel({ model: 'someorg/served', cacheDir })).rejects.toThrow(/^the download of onnx\/model\.onnx of someorg\/served stopped at 100000 of 3674409 bytes \(connection broken: UND_ERR_SOCKET\), 5 times without progress: run again to resume it$/);
    const blobs = join(cacheDir, 'models--someorg--served', 'blobs');
    const [temp] = readdirSync(blobs);
    expect(temp).toMatch(/^[0-9a-f]{32}\.[0-9a-f]{24}\.incomplete$/);
    const old = new Date(Date.now() - 120_000); // the interrupted run is long gone
    utimesSync(join(blobs, temp), old, old);
    hub.requests.length = 0;
    const resolved = await resolveModel({ model: 'someorg/served', cacheDir });
    expect(readFileSync(resolved.onnxPath).equals(tinyOnnx)).toBe(true);
    expect(hub.requests.filter((r) => r.server === 'cdn').map((r) => r.range)).toEqual(['bytes=100000-']);
    expect(readdirSync(blobs)).toEqual([]);
  });

  it('an interrupt keeps the temp file of a download, marked for the next run to resume', async () => {
    const cacheDir = cache('hub-interrupted');
    const blobs = join(cacheDir, 'models--someorg--served', 'blobs');
    hub.fault('onnx/model.onnx', { kill: 100_000, waitMs: 1500 });
    const run = resolveModel({ model: 'someorg/served', cacheDir });
    const partial = async (): Promise<string> => {
      for (;;) {
        const [name] = existsSync(blobs) ? readdirSync(blobs) : [];
        if (name && statSync(join(blobs, name)).size === 100_000) return join(blobs, name);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const temp = await partial();
    expect(cleanUpForExit()).toEqual(['the download of onnx/model.onnx stopped at 100000 bytes; the next run resumes it']);
    expect(statSync(temp).mtimeMs).toBe(0);
    expect(readFileSync((await run).onnxPath).equals(tinyOnnx)).toBe(true); // this process, not stopped, resumes it itself
  });

  it('a complete temp file left before its rename is checked and moved into place without a request for it', async () => {
    const cacheDir = cache('hub-complete-temp');
    const blobs = join(cacheDir, 'models--someorg--served', 'blobs');
    hub.fault('onnx/model.onnx', { kill: 100_000 }, ...Array.from({ length: 5 }, () => ({ kill: 0 })));
    await expect(resolveModel({ model: 'someorg/served', cacheDir })).rejects.toThrow(/run again to resume it/);
    const temp = join(blobs, readdirSync(blobs)[0]);
    writeFileSync(temp, tinyOnnx); // as if every byte had come before the run was stopped
    const old = new Date(Date.now() - 120_000);
    utimesSync(temp, old, old);
    hub.requests.length = 0;
    const resolved = await resolveModel({ model: 'someorg/served', cacheDir });
    expect(readFileSync(resolved.onnxPath).equals(tinyOnnx)).toBe(true);
    expect(hub.requests.filter((r) => r.server === 'cdn')).toEqual([]);
  });

  it('stale temp files of other downloads are removed; planted links are neither followed nor removed', async () => {
    const cacheDir = cache('hub-stale');
    const blobs = join(cacheDir, 'models--someorg--served', 'blobs');
    await resolveModel({ model: 'someorg/served', cacheDir, revision: 'v2' });
    const stale = join(blobs, `${'0'.repeat(32)}.${'1'.repeat(24)}.incomplete`);
    writeFileSync(stale, 'left by a run that died');
    const old = new Date(Date.now() - 120_000);
    utimesSync(stale, old, old);
    const victim = join(cacheDir, 'victim.txt');
    writeFileSync(victim, 'not to be touched');
    const planted = join(blobs, `${'2'.repeat(32)}.${'3'.repeat(24)}.incomplete`);
    symlinkSync(victim, planted);
    await resolveModel({ model: 'someorg/served', cacheDir });
    expect(existsSync(stale)).toBe(false);
    expect(readlinkSync(planted)).toBe(victim);
    expect(readFileSync(victim, 'utf8')).toBe('not to be touched');
  });

  it('a damaged cached file is downloaded again online, and named offline', async () => {
    const cacheDir = cache('hub-damaged');
    const resolved = await resolveModel({ model: 'someorg/served', cacheDir });
    const damaged = Buffer.from(tinyOnnx);
    damaged[1000] ^= 1;
    writeFileSync(resolved.onnxPath, damaged);
    await expect(resolveModel({ model: 'someorg/served', cacheDir, offline: true })).rejects.toThrow(
      `${resolved.onnxPath} is damaged (sha256 ${sha256Of(damaged)}, not the hub's ${sha256Of(tinyOnnx)}): delete it, then run without --offline to download it again`,
    );
    writeFileSync(join(resolved.localPath, 'tokenizer.json'), '{"cut":');
    await expect(resolveModel({ model: 'someorg/served', cacheDir, offline: true })).rejects.toThrow(/tokenizer\.json is damaged \(7 bytes where the hub's file has 408044\)/);
    const again = await resolveModel({ model: 'someorg/served', cacheDir });
    expect(readFileSync(again.onnxPath).equals(tinyOnnx)).toBe(true);
    expect(readFileSync(join(again.localPath, 'tokenizer.json')).equals(readFileSync(join(tinyGpt2, 'tokenizer.json')))).toBe(true);
    expect(stderr.join('')).toMatch(/model\.onnx is damaged .*; downloading it again/);
  });

  it('reads a cache huggingface_hub wrote (snapshot files linked into blobs/), offline and online without downloading', async () => {
    const cacheDir = cache('hub-python');
    const repo = join(cacheDir, 'models--someorg--served');
    const commit = hub.commitOf('someorg/served', 'main');
    mkdirSync(join(repo, 'blobs'), { recursive: true });
    mkdirSync(join(repo, 'refs'));
    writeFileSync(join(repo, 'refs', 'main'), commit);
    for (const file of MODEL_FILES) {
      const body = readFileSync(join(tinyGpt2, file));
      const blob = file.endsWith('.onnx') ? sha256Of(body) : gitBlobSha1(body);
      writeFileSync(join(repo, 'blobs', blob), body);
      const link = join(repo, 'snapshots', commit, file);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(relative(dirname(link), join(repo, 'blobs', blob)), link);
    }
    const offline = await resolveModel({ model: 'someorg/served', cacheDir, offline: true });
    expect(offline.localPath).toBe(join(repo, 'snapshots', commit));
    expect(await offline.sha256()).toBe(sha256Of(tinyOnnx));
    const online = await resolveModel({ model: 'someorg/served', cacheDir });
    expect(online.commit).toBe(commit);
    expect(hub.requests.filter((r) => r.method === 'GET')).toEqual([]);
  });

  it('HF_TOKEN goes to the endpoint only, never to the CDN it redirects to', async () => {
    process.env.HF_TOKEN = 'hf_secret';
    await resolveModel({ model: 'someorg/served', cacheDir: cache('hub-token') });
    const hubRequests = hub.requests.filter((r) => r.server === 'hub');
    const cdnRequests = hub.requests.filter((r) => r.server === 'cdn');
    expect(hubRequests.length).toBeGreaterThan(3);
    expect(cdnRequests.length).toBe(1);
    expect(hubRequests.every((r) => r.authorization === 'Bearer hf_secret')).toBe(true);
    expect(cdnRequests.every((r) => r.authorization === undefined)).toBe(true);
  });

  it('the token of `huggingface-cli login` (HF_TOKEN_PATH) is used when HF_TOKEN is not set, for the endpoint only', async () => {
    const tokenFile = join(cache('hub-token-file'), 'token');
    writeFileSync(tokenFile, 'hf_from_login\n');
    process.env.HF_TOKEN_PATH = tokenFile;
    await resolveModel({ model: 'someorg/served', cacheDir: cache('hub-token-login'), revision: 'v2' });
    expect(hub.requests.filter((r) => r.server === 'hub').every((r) => r.authorization === 'Bearer hf_from_login')).toBe(true);
    expect(hub.requests.filter((r) => r.server === 'cdn').every((r) => r.authorization === undefined)).toBe(true);
  });

  it('a cache that is not a folder is one line', async () => {
    const file = join(cache('hub-cache-file'), 'file');
    writeFileSync(file, '');
    await expect(resolveModel({ model: 'someorg/served', cacheDir: file })).rejects.toThrow(`the cache ${file} is not a folder: give --cache-dir (or IW_CACHE_DIR) a folder`);
  });

  it('no network is one clear sentence; with the model cached, the cache is used with a warning', async () => {
    const cacheDir = cache('hub-unreachable');
    process.env.HF_ENDPOINT = await closedPortEndpoint();
    await expect(resolveModel({ model: 'someorg/served', cacheDir })).rejects.toThrow(UserError);
    await expect(resolveModel({ model: 'someorg/served', cacheDir })).rejects.toThrow(/^cannot reach 127\.0\.0\.1:\d+ for config\.json of someorg\/served \(ECONNREFUSED\): check the network and HF_ENDPOINT/);
    process.env.HF_ENDPOINT = hub.endpoint;
    await resolveModel({ model: 'someorg/served', cacheDir });
    process.env.HF_ENDPOINT = await closedPortEndpoint();
    expect((await resolveModel({ model: 'someorg/served', cacheDir })).architecture).toBe('gpt2');
    expect(stderr.join('')).toMatch(/warning: cannot reach 127\.0\.0\.1:\d+ for config\.json of someorg\/served \(ECONNREFUSED\); using the cached copy of someorg\/served at revision main/);
  });

  it('only network failures count as network errors: a TypeError of iw\'s own stays a bug', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    expect(isNetworkError(refused)).toBe(true);
    expect(isNetworkError(new TypeError("Cannot read properties of undefined (reading 'length')"))).toBe(false);
    expect(isNetworkError(new TypeError('fetch failed', { cause: new RangeError('bad') }))).toBe(false);
  });

  it('a bad HF_ENDPOINT is one line', async () => {
    process.env.HF_ENDPOINT = 'ftp://mirror';
    await expect(resolveModel({ model: 'someorg/served', cacheDir: cache('hub-endpoint') })).rejects.toThrow('HF_ENDPOINT must be an http(s) address such as https://huggingface.co (got "ftp://mirror")');
    // Port 9 is one the Fetch standard blocks: fetch fails with no error code, before any connection.
    process.env.HF_ENDPOINT = 'http://127.0.0.1:9';
    const blocked = resolveModel({ model: 'someorg/served', cacheDir: cache('hub-endpoint-port') });
    await expect(blocked).rejects.toThrow('cannot reach 127.0.0.1:9 for config.json of someorg/served (a port fetch refuses to connect to): check the network and HF_ENDPOINT');
    await expect(blocked).rejects.toSatisfy(isNetworkError);
  });

  it('warns when the cache folder, or a repo\'s folder in it, is writable by every user', async () => {
    const cacheDir = cache('hub-shared');
    chmodSync(cacheDir, 0o777);
    await resolveModel({ model: 'someorg/served', cacheDir, revision: 'v2' });
    expect(stderr.join('')).toContain(`iw: warning: the cache folder ${cacheDir} is writable by every user`);
    const other = cache('hub-shared-repo');
    mkdirSync(join(other, 'models--someorg--served'), { mode: 0o777 });
    chmodSync(join(other, 'models--someorg--served'), 0o777);
    await resolveModel({ model: 'someorg/served', cacheDir: other, revision: 'v2' });
    expect(stderr.join('')).toContain(`iw: warning: the cache folder ${join(other, 'models--someorg--served')} is writable by every user`);
  });
});
