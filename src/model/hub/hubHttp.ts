import { UserError } from '../../util/index.js';
import { authorizationFor, hubToken, resolveUrl } from './endpoint.js';

/**
 * iw's requests to the hub, as huggingface_hub makes them (file_download.py): a HEAD on the file's resolve URL
 * gives its metadata (X-Repo-Commit, X-Linked-Etag or ETag, X-Linked-Size or Content-Length, and the Location of a
 * redirect to the CDN), following only redirects within the hub (a renamed repo); the GET then follows the redirect
 * to the CDN without the Authorization header. 429 and 5xx answers are retried with backoff (Retry-After when the
 * server gives one); every other failure, and a 429/5xx that outlasts the retries, is one line saying what to do.
 *
 * @module
 */

/** One file of one repo at one revision, on one hub. */
export interface FileAddress {
  endpoint: string;
  hubId: string;
  /** The revision as asked for (messages name it). */
  revision: string;
  /** The commit it resolved to, once known: what the URL asks for. */
  commit?: string;
  file: string;
}

/** What the hub says of a file before it is downloaded (huggingface_hub's HfFileMetadata). */
export interface HubFileMetadata {
  /** The commit the revision resolved to (X-Repo-Commit), when the server says it. */
  commit?: string;
  /** The file's ETag, unquoted: the git blob sha1, or the sha256 of an LFS file. */
  etag?: string;
  /** The sha256 of the file's content, where the ETag is one. */
  sha256?: string;
  /** The file's size in bytes (X-Linked-Size, or Content-Length). */
  size?: number;
  /** Where the hub redirected to (the CDN, for large files); absent when the hub serves the file itself. */
  redirect?: string;
}

/** Tries per request on 429 and 5xx answers. */
const TRIES = 5;
const HEAD_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 5;
const COMMIT = /^[0-9a-f]{40}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** The file's metadata; undefined when the hub has no such file (404 at a revision that exists). */
export async function fileMetadata(address: FileAddress): Promise<HubFileMetadata | undefined> {
  const url = fileUrl(address);
  const response = await send(address, url, 'HEAD', {}, false);
  if (response.status === 404 && !['RepoNotFound', 'RevisionNotFound'].includes(response.headers.get('x-error-code') ?? '')) return undefined;
  if (!response.ok && !isRedirect(response.status)) throw httpFailure(address, response);
  const headers = response.headers;
  const commit = headers.get('x-repo-commit') ?? undefined;
  const etag = normalizeEtag(headers.get('x-linked-etag') ?? headers.get('etag'));
  const size = Number(headers.get('x-linked-size') ?? headers.get('content-length') ?? NaN);
  const location = headers.get('location');
  return {
    commit: commit && COMMIT.test(commit) ? commit : undefined,
    etag,
    sha256: etag && SHA256.test(etag) ? etag : undefined,
    size: Number.isSafeInteger(size) && size >= 0 ? size : undefined,
    ...(isRedirect(response.status) && location ? { redirect: new URL(location, url).toString() } : {}),
  };
}

/** The file's resolve URL: at the commit once it is known, else at the revision. */
function fileUrl(address: FileAddress): string {
  return resolveUrl(address.endpoint, address.hubId, address.commit ?? address.revision, address.file);
}

/**
 * GETs a file's bytes (from `offset` on, with a Range): from the CDN address the hub redirected to, else from its
 * resolve URL, following redirects; throws on a failure.
 */
export async function fetchFileBody(address: FileAddress, metadata: HubFileMetadata, offset: number): Promise<Response> {
  const range: Record<string, string> = offset > 0 ? { range: `bytes=${offset}-` } : {};
  const response = await send(address, metadata.redirect ?? fileUrl(address), 'GET', range, true);
  if (!response.ok || !response.body) throw httpFailure(address, response);
  return response;
}

/** One request with its retries and redirects; the token goes only to the endpoint's own origin, hop by hop. */
async function send(address: FileAddress, firstUrl: string, method: 'HEAD' | 'GET', headers: Record<string, string>, crossOrigin: boolean): Promise<Response> {
  let url = firstUrl;
  for (let hop = 0; ; hop++) {
    const response = await withRetries(() => request(address, url, method, { 'accept-encoding': 'identity', ...headers, ...authorizationFor(url, address.endpoint) }));
    const location = response.headers.get('location');
    if (!isRedirect(response.status) || !location || hop === MAX_REDIRECTS) return response;
    const next = new URL(location, url);
    if (!crossOrigin && next.origin !== new URL(url).origin) return response;
    await response.body?.cancel();
    url = next.toString();
  }
}

async function request(address: FileAddress, url: string, method: 'HEAD' | 'GET', headers: Record<string, string>): Promise<Response> {
  try {
    return await fetch(url, { method, headers, redirect: 'manual', signal: method === 'HEAD' ? AbortSignal.timeout(HEAD_TIMEOUT_MS) : undefined });
  } catch (error) {
    if (isNetworkError(error)) throw new HubNetworkError(address, url, error);
    throw error;
  }
}

async function withRetries(attempt: () => Promise<Response>): Promise<Response> {
  for (let tried = 1; ; tried++) {
    const response = await attempt();
    if (!retryable(response.status) || tried === TRIES) return response;
    await response.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, retryDelayMs(response, tried)));
  }
}

function retryable(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Retry-After (seconds, up to a minute) when the server gives it; else 0.5 s, 1 s, 2 s, 4 s. */
function retryDelayMs(response: Response, tried: number): number {
  const after = Number(response.headers.get('retry-after'));
  if (response.headers.has('retry-after') && Number.isFinite(after) && after >= 0) return Math.min(after, 60) * 1000;
  return 500 * 2 ** (tried - 1);
}

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}

function normalizeEtag(etag: string | null): string | undefined {
  return etag ? etag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1') : undefined;
}

/** The one line for an HTTP answer that is not the file. */
export function httpFailure(address: FileAddress, response: Response): UserError {
  const { hubId, revision, file } = address;
  const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  const what = `${file} of ${hubId} at revision ${revision}`;
  void response.body?.cancel();
  if (response.status === 401 || response.status === 403) {
    const token = hubToken() ? 'the token in HF_TOKEN was refused: check that it has access to the repo' : 'set HF_TOKEN to a token that has access (https://huggingface.co/settings/tokens)';
    return new UserError(`${hubId}: the hub answered ${status} for ${file}: the repo is gated or private; ${token}`);
  }
  if (response.status === 404) {
    const code = response.headers.get('x-error-code');
    if (code === 'RepoNotFound') return new UserError(`${hubId}: the hub at ${address.endpoint} has no such repo (404 for ${file}); check the id, or set HF_TOKEN if it is private`);
    if (code === 'RevisionNotFound') return new UserError(`${hubId} has no revision ${JSON.stringify(revision)} (404 for ${file}): give --revision a branch, tag or commit of the repo`);
    return new UserError(`${hubId} at revision ${revision} has no file ${file} (404)`);
  }
  if (retryable(response.status)) {
    const advice = response.status === 429 ? 'the hub is limiting requests: wait a while and run again' : 'the server is failing: run again later';
    return new UserError(`the hub answered ${status} for ${what}, ${TRIES} times: ${advice}`);
  }
  return new UserError(`the hub answered ${status} for ${what}`);
}

/** A request that never got an answer: no network, no DNS, a refused or cut connection, a timeout. */
export class HubNetworkError extends UserError {
  readonly code: string;
  /** What failed, without the advice: "cannot reach <host> for <file> of <repo> (<code>)". */
  readonly summary: string;
  constructor(address: FileAddress, url: string, cause: unknown) {
    const code = networkCode(cause) ?? 'no answer';
    const summary = `cannot reach ${new URL(url).host} for ${address.file} of ${address.hubId} (${code})`;
    super(`${summary}: check the network and HF_ENDPOINT, or run with --offline from a cache that holds the model, or give --model a local folder`);
    this.name = 'HubNetworkError';
    this.code = code;
    this.summary = summary;
  }
}

/** System and undici error codes of a connection that failed or broke; TLS failures are among them. */
const NETWORK_CODES = /^(E(CONNREFUSED|CONNRESET|CONNABORTED|NOTFOUND|AI_AGAIN|AI_FAIL|TIMEDOUT|HOSTUNREACH|HOSTDOWN|NETUNREACH|NETDOWN|NETRESET|PIPE|PROTO)|UND_ERR_(SOCKET|CONNECT_TIMEOUT|HEADERS_TIMEOUT|BODY_TIMEOUT|CLOSED)|ERR_(TLS|SSL)_.*|CERT_.*|UNABLE_TO_.*|SELF_SIGNED_.*|DEPTH_ZERO_.*)$/;

/**
 * Node's fetch refuses ports the Fetch standard blocks (9, 25, 6000, …) with an Error whose message is this and
 * which has no code: an HF_ENDPOINT on such a port fails before any connection.
 */
const BLOCKED_PORT_MESSAGE = 'bad port';

/** The network error code down an error's cause chain (a fetch TypeError's cause), if it is a network error. */
export function networkCode(error: unknown): string | undefined {
  for (let current = error as { code?: unknown; cause?: unknown; errors?: unknown[]; name?: unknown; message?: unknown } | undefined, depth = 0; current && depth < 6; depth++) {
    if (typeof current.code === 'string' && NETWORK_CODES.test(current.code)) return current.code;
    if (current.name === 'TimeoutError') return 'ETIMEDOUT';
    if (current.message === BLOCKED_PORT_MESSAGE) return 'a port fetch refuses to connect to';
    current = (current.cause ?? current.errors?.[0]) as typeof current;
  }
  return undefined;
}

/** Only failures of the network count: a TypeError of iw's own (or any other error) stays a bug with its stack. */
export function isNetworkError(error: unknown): boolean {
  return error instanceof HubNetworkError || networkCode(error) !== undefined;
}
