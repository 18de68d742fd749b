import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { env } from '@huggingface/transformers';
import { UserError } from '../../util/index.js';

/**
 * Where the hub is and who may see the token, as huggingface_hub decides it: HF_ENDPOINT (a mirror or a private
 * hub) or https://huggingface.co; the token (HF_TOKEN, or the file `huggingface-cli login` wrote) sent to that endpoint's origin
 * only, never to another host such as the CDN the hub redirects large files to.
 *
 * @module
 */

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

/** The hub's base address (no trailing slash), from HF_ENDPOINT; transformers.js is pointed at it too. */
export function hubEndpoint(): string {
  const given = process.env.HF_ENDPOINT?.trim();
  const endpoint = given ? given.replace(/\/+$/, '') : DEFAULT_ENDPOINT;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UserError(`HF_ENDPOINT must be an http(s) address such as https://huggingface.co (got ${JSON.stringify(given)})`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UserError(`HF_ENDPOINT must be an http(s) address such as https://huggingface.co (got ${JSON.stringify(given)})`);
  }
  // transformers.js fetches with env.remoteHost; iw fetches every hub file itself, but anything of
  // transformers.js that reaches for the hub must reach the same one.
  env.remoteHost = `${endpoint}/`;
  return endpoint;
}

/** The hub's URL of one file of a repo at a revision (huggingface_hub's hf_hub_url: the revision is one path segment). */
export function resolveUrl(endpoint: string, hubId: string, revision: string, file: string): string {
  const path = file.split('/').map(encodeURIComponent).join('/');
  return `${endpoint}/${hubId}/resolve/${encodeURIComponent(revision)}/${path}`;
}

/**
 * The token, as huggingface_hub finds it: HF_TOKEN (or transformers.js' HF_ACCESS_TOKEN), else the file that
 * `huggingface-cli login` writes ($HF_TOKEN_PATH, else $HF_HOME/token, else ~/.cache/huggingface/token).
 */
export function hubToken(): string | undefined {
  const given = process.env.HF_TOKEN || process.env.HF_ACCESS_TOKEN;
  if (given) return given;
  const home = process.env.HF_HOME || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'huggingface');
  const path = process.env.HF_TOKEN_PATH || join(home, 'token');
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The Authorization header for a request to `url`: only when it goes to the endpoint's own origin. */
export function authorizationFor(url: string, endpoint: string): Record<string, string> {
  const token = hubToken();
  return token && new URL(url).origin === new URL(endpoint).origin ? { authorization: `Bearer ${token}` } : {};
}
