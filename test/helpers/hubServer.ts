import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * A local stand-in for the Hugging Face hub, started by a test on 127.0.0.1 (port 0): never the real network.
 *
 * It answers `/{repo}/resolve/{revision}/{path}` as the hub does (huggingface_hub's file_download.py reads the
 * same headers): every answer carries X-Repo-Commit (a 40-hex commit per repo and revision); small files come
 * directly with their git blob sha1 as ETag; LFS files (*.onnx, *.onnx_data) answer 302 to a second server on
 * another port (the CDN) with X-Linked-Etag (their sha256) and X-Linked-Size, and the CDN serves
 * `/blobs/{sha256}`. Unknown repo, revision or file: 404 with the hub's X-Error-Code (RepoNotFound,
 * RevisionNotFound, EntryNotFound). Both servers honour `Range: bytes=N-`.
 *
 * A revision may also be given as the commit a revision name is at.
 * `repos` may be changed while the server runs (a branch moved to another folder gets another commit).
 * Faults are queued per file (`fault(path, ...)`) and used up one per GET of that file, on whichever server
 * serves its bytes (the CDN for LFS files); HEAD requests are faulted only by `{ status, head: true }`.
 */
export interface HubRepo {
  /** Revision name → the folder served for it. */
  [revision: string]: string;
}

export type HubFault =
  /** Answer this status (with Retry-After when given); `head` makes it answer a HEAD request too. */
  | { status: number; retryAfter?: number; head?: boolean }
  /** Send the first half of the body, then end: `withLength` declares the full Content-Length and cuts the connection; without it, a chunked body that ends cleanly, short. */
  | { truncate: 'withLength' | 'withoutLength' }
  /** Send `bytes` bytes of the body, wait `waitMs`, then destroy the connection (a slow download killed midway). */
  | { kill: number; waitMs?: number }
  /** Send the whole body with one byte changed (damaged on the way). */
  | { corrupt: true };

export interface RecordedRequest {
  server: 'hub' | 'cdn';
  method: string;
  url: string;
  authorization?: string;
  range?: string;
}

export interface HubServerOptions {
  repos: Record<string, HubRepo>;
  /** LFS files served through a redirect to the CDN server (default true); false serves them from the hub with their sha256 as ETag. */
  cdn?: boolean;
  /** Leave out the sha256 of LFS files (no X-Linked-Etag, ETag a non-hash), as some mirrors do. */
  noSha256?: boolean;
}

export interface HubServer {
  /** The hub's address, as HF_ENDPOINT takes it (no trailing slash). */
  endpoint: string;
  /** The CDN's address. */
  cdnEndpoint: string;
  requests: RecordedRequest[];
  fault(path: string, ...faults: HubFault[]): void;
  commitOf(repo: string, revision: string): string;
  close(): Promise<void>;
}

const LFS = /\.onnx(_data)?$/;

export function gitBlobSha1(body: Buffer): string {
  return createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');
}

export function sha256Of(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

export async function startHubServer(options: HubServerOptions): Promise<HubServer> {
  const requests: RecordedRequest[] = [];
  const faults = new Map<string, HubFault[]>();
  const blobs = new Map<string, Buffer>();
  // A revision's commit changes when the test points the revision at another folder (a branch that moved).
  const commitOf = (repo: string, revision: string) => createHash('sha1').update(`${repo}@${revision}:${options.repos[repo]?.[revision]}`).digest('hex');
  const record = (server: RecordedRequest['server'], request: IncomingMessage) => requests.push({
    server, method: request.method ?? 'GET', url: request.url ?? '', authorization: request.headers.authorization, range: request.headers.range,
  });
  const nextFault = (path: string, method: string): HubFault | undefined => {
    const queue = faults.get(path);
    if (!queue?.length) return undefined;
    if (method === 'HEAD' && !('status' in queue[0] && queue[0].head)) return undefined;
    return queue.shift();
  };

  const cdn = createServer((request, response) => {
    record('cdn', request);
    const match = /^\/blobs\/([0-9a-f]{64})\/(.+)$/.exec((request.url ?? '').split('?')[0]);
    const body = match ? blobs.get(match[1]) : undefined;
    if (!match || !body) return void response.writeHead(404).end();
    const fault = request.method === 'GET' ? nextFault(decodeURIComponent(match[2]), 'GET') : undefined;
    sendBody(request, response, body, { etag: `"${match[1]}"` }, fault);
  });
  await listen(cdn);
  const cdnEndpoint = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;

  const hub = createServer((request, response) => {
    record('hub', request);
    const match = /^\/([^/]+\/[^/]+|[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec((request.url ?? '').split('?')[0]);
    if (!match) return void response.writeHead(404, { 'x-error-code': 'RepoNotFound' }).end();
    const [repoId, revision, path] = [match[1], decodeURIComponent(match[2]), decodeURIComponent(match[3])];
    const repo = options.repos[repoId];
    if (!repo) return void response.writeHead(404, { 'x-error-code': 'RepoNotFound' }).end();
    // A revision is a name of `repo`, or the commit one of them is at.
    const name = revision in repo ? revision : Object.keys(repo).find((known) => commitOf(repoId, known) === revision);
    const folder = name && repo[name];
    if (!name || !folder) return void response.writeHead(404, { 'x-error-code': 'RevisionNotFound' }).end();
    const file = join(folder, path);
    const commit = { 'x-repo-commit': commitOf(repoId, name) };
    if (path.includes('..') || !existsSync(file) || !statSync(file).isFile()) {
      return void response.writeHead(404, { ...commit, 'x-error-code': 'EntryNotFound' }).end();
    }
    const body = readFileSync(file);
    const lfs = LFS.test(path);
    const sha256 = sha256Of(body);
    const fault = nextFault(path, request.method ?? 'GET');
    if (fault && 'status' in fault) return void answerStatus(response, fault, commit);
    if (lfs && options.cdn !== false) {
      blobs.set(sha256, body);
      const linked = options.noSha256 ? {} : { 'x-linked-etag': `"${sha256}"` };
      if (fault) faults.get(path)?.unshift(fault); // the bytes come from the CDN: the fault is its
      return void response.writeHead(302, {
        ...commit, ...linked, 'x-linked-size': String(body.length), etag: `"${gitBlobSha1(Buffer.from('pointer ' + sha256))}"`,
        location: `${cdnEndpoint}/blobs/${sha256}/${encodeURIComponent(path)}?signature=x`,
      }).end();
    }
    const etag = lfs && !options.noSha256 ? sha256 : gitBlobSha1(body);
    sendBody(request, response, body, { ...commit, etag: `"${etag}"` }, fault);
  });
  await listen(hub);
  const endpoint = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;

  return {
    endpoint,
    cdnEndpoint,
    requests,
    fault: (path, ...added) => faults.set(path, [...(faults.get(path) ?? []), ...added]),
    commitOf,
    close: async () => {
      for (const server of [hub, cdn]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  };
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}

function answerStatus(response: ServerResponse, fault: { status: number; retryAfter?: number }, headers: Record<string, string>): void {
  const retry = fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };
  const code = fault.status === 401 ? { 'x-error-code': 'GatedRepo' } : {};
  response.writeHead(fault.status, { ...headers, ...retry, ...code }).end(`status ${fault.status}`);
}

/** The body (or the part a Range asks for), spoilt as the fault says. */
function sendBody(request: IncomingMessage, response: ServerResponse, whole: Buffer, headers: Record<string, string>, fault: HubFault | undefined): void {
  if (fault && 'status' in fault) return answerStatus(response, fault, headers);
  const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
  const start = range ? Number(range[1]) : 0;
  if (start > whole.length) return void response.writeHead(416, headers).end();
  const body = whole.subarray(start);
  const status = range ? 206 : 200;
  const rangeHeader = range ? { 'content-range': `bytes ${start}-${whole.length - 1}/${whole.length}` } : {};
  if (request.method === 'HEAD') return void response.writeHead(status, { ...headers, ...rangeHeader, 'content-length': String(body.length) }).end();
  if (fault && 'truncate' in fault) {
    const half = body.subarray(0, Math.floor(body.length / 2));
    if (fault.truncate === 'withoutLength') return void response.writeHead(status, { ...headers, ...rangeHeader }).end(half);
    response.writeHead(status, { ...headers, ...rangeHeader, 'content-length': String(body.length) });
    response.write(half, () => response.socket?.destroy());
    return;
  }
  response.writeHead(status, { ...headers, ...rangeHeader, 'content-length': String(body.length) });
  if (fault && 'corrupt' in fault) {
    const damaged = Buffer.from(body);
    damaged[damaged.length >> 1] ^= 0xff;
    return void response.end(damaged);
  }
  if (fault && 'kill' in fault) {
    response.write(body.subarray(0, fault.kill));
    setTimeout(() => response.socket?.destroy(), fault.waitMs ?? 50);
    return;
  }
  response.end(body);
}
