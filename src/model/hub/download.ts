import { createHash, randomBytes, type Hash } from 'node:crypto';
import { constants, utimesSync } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { keepOnInterrupt } from '../../util/index.js';
import { UserError } from '../../util/index.js';
import { Progress } from '../../util/index.js';
import { fetchFileBody, isNetworkError, networkCode, type FileAddress, type HubFileMetadata } from './hubHttp.js';

/**
 * One verified download into the cache, as huggingface_hub does it (http_get and its .incomplete blobs), with
 * the checks it leaves out: the bytes go to a temp file in blobs/, created with O_EXCL under an unpredictable name,
 * mode 0600; their length is checked against X-Linked-Size / Content-Length and their sha256 against the hub's
 * (X-Linked-Etag, or an ETag that is a sha256) before the file is renamed to its place in the snapshot. A
 * connection that breaks, or a body that ends short, is resumed with `Range: bytes=N-` a few times; a run that
 * gives up, or is interrupted, leaves the temp file, and the next run resumes it. Temp files nobody has written to
 * for a minute are an interrupted run's: the one of this file's version is resumed, others are removed.
 *
 * @module
 */

/** Tries without a byte of progress before a broken download is given up (reset by every byte received). */
const RESUME_TRIES = 5;
const RESUME_PAUSE_MS = 300;
/** A temp file not written for this long belongs to a run that is gone. */
const STALE_MS = 60_000;

export interface DownloadJob {
  address: FileAddress;
  metadata: HubFileMetadata;
  /** Where the verified file goes. */
  target: string;
  /** The repo's blobs/ folder, where temp files live. */
  tempFolder: string;
  quiet?: boolean;
}

/** Downloads, checks and moves a file into place; returns the sha256 and size of what is now there. */
export async function downloadFile(job: DownloadJob): Promise<{ sha256: string; size: number }> {
  const temp = await openTemp(job.tempFolder, versionKey(job));
  const forgetTemp = keepOnInterrupt(() => abandon(temp, job));
  const megabytes = Math.ceil((job.metadata.size ?? 0) / 1e6);
  const progress = new Progress({ label: `downloading ${job.address.hubId}/${job.address.file}`, total: megabytes, unit: 'MB', quiet: job.quiet });
  try {
    await receive(job, temp, progress);
    const sha256 = temp.hash.digest('hex');
    if (job.metadata.sha256 && sha256 !== job.metadata.sha256) {
      await discard(temp);
      throw new UserError(`${job.address.file} of ${job.address.hubId}: the downloaded bytes have sha256 ${sha256}, not the ${job.metadata.sha256} the hub announced (damaged on the way): run again`);
    }
    await temp.handle.sync();
    await temp.handle.close();
    await mkdir(dirname(job.target), { recursive: true });
    await rename(temp.path, job.target);
    return { sha256, size: temp.offset };
  } finally {
    forgetTemp();
    progress.finish();
    await temp.handle.close().catch(() => undefined);
  }
}

/**
 * On an interrupt (Ctrl-C, SIGTERM, SIGHUP) the temp file is kept for the next run to resume, marked as abandoned
 * (its modification time set back) so that the next run resumes it at once instead of taking it for a live download.
 */
function abandon(temp: TempFile, job: DownloadJob): string | undefined {
  try {
    utimesSync(temp.path, 0, 0);
  } catch {
    return undefined;
  }
  return `the download of ${job.address.file} stopped at ${temp.offset} bytes; the next run resumes it`;
}

interface TempFile {
  path: string;
  handle: FileHandle;
  /** Bytes in the file so far. */
  offset: number;
  /** sha256 of those bytes. */
  hash: Hash;
}

/** The file's version (its ETag, or where it comes from), so that a resumed temp file continues the same bytes. */
function versionKey(job: DownloadJob): string {
  const { address, metadata } = job;
  return createHash('sha256').update(metadata.etag ?? `${address.hubId}@${address.revision}/${address.file}`).digest('hex').slice(0, 32);
}

/** An interrupted run's temp file of this version to resume, or a new one (O_EXCL, random name, 0600); stale ones of other versions removed. */
async function openTemp(folder: string, key: string): Promise<TempFile> {
  await mkdir(folder, { recursive: true });
  let resumable: string | undefined;
  for (const name of await readdir(folder)) {
    if (!name.endsWith('.incomplete')) continue;
    const path = join(folder, name);
    const stat = await lstat(path).catch(() => undefined);
    // Only regular files of this user that nobody writes to: never a link, never another user's file.
    if (!stat?.isFile() || stat.uid !== process.getuid?.() || Date.now() - stat.mtimeMs < STALE_MS) continue;
    if (!resumable && name.startsWith(`${key}.`)) resumable = path;
    else await rm(path, { force: true });
  }
  if (resumable) {
    const resumed = await reopen(resumable);
    if (resumed) return resumed;
  }
  const path = join(folder, `${key}.${randomBytes(12).toString('hex')}.incomplete`);
  const handle = await open(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  return { path, handle, offset: 0, hash: createHash('sha256') };
}

/** Opens an interrupted download to append to it, hashing what it holds; undefined if it is not a plain file of ours. */
async function reopen(path: string): Promise<TempFile | undefined> {
  const handle = await open(path, constants.O_RDWR | constants.O_APPEND | constants.O_NOFOLLOW).catch(() => undefined);
  if (!handle) return undefined;
  const stat = await handle.stat();
  if (!stat.isFile() || stat.uid !== process.getuid?.()) {
    await handle.close();
    return undefined;
  }
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(1 << 20);
  let offset = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(0, bytesRead));
    offset += bytesRead;
  }
  return { path, handle, offset, hash };
}

async function discard(temp: TempFile): Promise<void> {
  await temp.handle.close().catch(() => undefined);
  await rm(temp.path, { force: true });
}

/** Fills the temp file from the server, resuming with a Range after a break or a short body. */
async function receive(job: DownloadJob, temp: TempFile, progress: Progress): Promise<void> {
  const { address, metadata } = job;
  let triesLeft = RESUME_TRIES;
  let lastBreak = '';
  // An interrupted run may have received every byte and stopped before the rename: nothing to ask for (a Range from
  // the end would be refused); the sha256 check decides.
  if (metadata.size !== undefined && temp.offset === metadata.size) return;
  if (metadata.size !== undefined && temp.offset > metadata.size) await restart(temp);
  for (;;) {
    const before = temp.offset;
    let expected = metadata.size;
    try {
      const response = await fetchFileBody(address, metadata, temp.offset);
      if (await startsAt(response, temp)) {
        const announced = Number(response.headers.get('content-length') ?? NaN);
        expected ??= Number.isSafeInteger(announced) ? temp.offset + announced : undefined;
        await appendBody(response, temp, progress);
        if (expected === undefined || temp.offset === expected) return;
        if (temp.offset > expected) {
          await discard(temp);
          throw new UserError(`${address.file} of ${address.hubId}: the server sent ${temp.offset} bytes, more than the ${expected} it announced: run again`);
        }
        lastBreak = 'the body ended early';
      } else {
        lastBreak = 'the server sent another range than asked';
      }
    } catch (error) {
      if (!isNetworkError(error)) throw error;
      lastBreak = `connection broken: ${networkCode(error) ?? 'no code'}`;
    }
    triesLeft = temp.offset > before ? RESUME_TRIES : triesLeft - 1;
    if (triesLeft === 0) {
      throw new UserError(`the download of ${address.file} of ${address.hubId} stopped at ${temp.offset} of ${expected ?? 'unknown'} bytes (${lastBreak}), ${RESUME_TRIES} times without progress: run again to resume it`);
    }
    await new Promise((resolve) => setTimeout(resolve, RESUME_PAUSE_MS));
  }
}

async function appendBody(response: Response, temp: TempFile, progress: Progress): Promise<void> {
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    await temp.handle.write(chunk, 0, chunk.length, temp.offset);
    temp.hash.update(chunk);
    const megabytesBefore = Math.floor(temp.offset / 1e6);
    temp.offset += chunk.length;
    progress.tick(Math.floor(temp.offset / 1e6) - megabytesBefore);
  }
}

/**
 * Whether the answer continues the temp file: a 206 from its end, or a whole body (200) after which the temp file
 * starts over. A 206 from elsewhere is dropped, and the temp file too, so that the next try asks for everything.
 */
async function startsAt(response: Response, temp: TempFile): Promise<boolean> {
  const start = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1];
  if (response.status === 206 && Number(start) === temp.offset) return true;
  if (response.status !== 206 && temp.offset === 0) return true;
  if (response.status !== 206) {
    await restart(temp);
    return true;
  }
  await response.body?.cancel();
  await restart(temp);
  return false;
}

async function restart(temp: TempFile): Promise<void> {
  await temp.handle.truncate(0);
  temp.offset = 0;
  temp.hash = createHash('sha256');
}
