import { closeSync, constants, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import * as zlib from 'node:zlib';
import type { SwapEntry } from '../measure/index.js';
import { UserError } from '../util/index.js';
import { firstIssue, partialEndSchema, partialHeaderSchema, type PartialEnd, type PartialHeader } from './partialHeader.js';

export { PARTIAL_FORMAT, type AccumulatorDescription, type PartialEnd, type PartialHeader } from './partialHeader.js';

/**
 * The iw-partial/1 file (docs/partial-format.md): what a shard measured, or what a run has measured so far (its
 * checkpoint). One layout serves both: a checkpoint is a partial file still being appended to, and a finished
 * shard's partial is its checkpoint with an end record, renamed.
 *
 *   magic      8 bytes  "IWPART1\n"
 *   header     u32 length, then that many bytes of UTF-8 JSON (PartialHeader: which run, which shard, shapes)
 *   stimuli    u32 length, then the run's stimuli as canonical iw-stimuli/1 JSON (its sha256 is in the header)
 *   records    until the end of the file, each: u32 kind, u32 count, u32 payload bytes, payload, u32 CRC-32 of payload
 *     kind 1, swaps: count entries; payload = count × (u32 sequence, u32 swap position, u32 floats per accumulator
 *                    × A) then, entry after entry and accumulator after accumulator, the float32 values
 *     kind 2, end:   payload = UTF-8 JSON (PartialEnd: counts and engine statistics); the file is complete
 * All integers and floats are little-endian. A last record cut short or failing its CRC (a process killed while
 * appending) ends the readable part: everything before it is intact, and a resumed run truncates the rest.
 *
 * A part may come from anyone: the header is checked by its schema (src/shard/partialHeader.ts) and every length,
 * count and index against the bytes present and the header's own totals before anything is sized from it.
 */
export const PARTIAL_EXTENSION = '.iwp';
const MAGIC = Buffer.from('IWPART1\n', 'ascii');
const KIND_SWAPS = 1;
const KIND_END = 2;
/** Swaps records are cut at about this many payload bytes (u32 lengths; bounded memory when reading). */
const RECORD_BYTES = 256 * 1024 ** 2;

if (endianness() !== 'LE') throw new Error('iw-partial/1 files are little-endian; this machine is big-endian');

/** A swap's values for every accumulator, in header order. */
export type StoredSwap = { sequence: number; swapPosition: number; values: Float32Array[] };

/** Appends iw-partial/1 records to a file descriptor (a new file, or a checkpoint reopened after its last good record). */
export class PartialWriter {
  private constructor(private fd: number, private readonly durable: boolean) {}

  /**
   * Starts a new file: magic, header and stimuli. The file must not exist: it is created (O_EXCL), never opened
   * through a symbolic link someone planted at its name.
   */
  static create(path: string, header: PartialHeader, stimuliText: string, durable = true): PartialWriter {
    const fd = openSync(path, 'wx');
    const writer = new PartialWriter(fd, durable);
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const stimuliBytes = Buffer.from(stimuliText, 'utf8');
    writer.write(Buffer.concat([MAGIC, u32(headerBytes.length), headerBytes, u32(stimuliBytes.length), stimuliBytes]));
    writer.sync();
    return writer;
  }

  /** Reopens a file to append after `validBytes` (dropping a record cut short by a kill); never through a symbolic link. */
  static reopen(path: string, validBytes: number, durable = true): PartialWriter {
    const fd = openSync(path, constants.O_RDWR | constants.O_NOFOLLOW);
    ftruncateSync(fd, validBytes);
    const writer = new PartialWriter(fd, durable);
    writer.position = validBytes;
    return writer;
  }

  private position = 0;

  /** Appends swaps (each with every accumulator's values), in records of at most ~256 MiB, then syncs to disk. */
  appendSwaps(swaps: readonly StoredSwap[]): void {
    let start = 0;
    while (start < swaps.length) {
      let end = start, bytes = 0;
      while (end < swaps.length && (end === start || bytes + swapBytes(swaps[end]) <= RECORD_BYTES)) bytes += swapBytes(swaps[end++]);
      this.appendRecord(KIND_SWAPS, swaps.slice(start, end));
      start = end;
    }
    this.sync();
  }

  /** Appends the end record: the part is complete. */
  appendEnd(end: PartialEnd): void {
    const payload = Buffer.from(JSON.stringify(end), 'utf8');
    this.write(Buffer.concat([u32(KIND_END), u32(0), u32(payload.length), payload, u32(crc32(payload))]));
    this.sync();
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  private appendRecord(kind: number, swaps: readonly StoredSwap[]): void {
    const accumulators = swaps[0].values.length;
    const table = Buffer.alloc(swaps.length * 4 * (2 + accumulators));
    let at = 0;
    for (const swap of swaps) {
      table.writeUInt32LE(swap.sequence, at); at += 4;
      table.writeUInt32LE(swap.swapPosition, at); at += 4;
      for (const values of swap.values) { table.writeUInt32LE(values.length, at); at += 4; }
    }
    const parts: Buffer[] = [table];
    for (const swap of swaps) for (const values of swap.values) parts.push(Buffer.from(values.buffer, values.byteOffset, values.byteLength));
    const payloadLength = parts.reduce((sum, part) => sum + part.length, 0);
    let crc = 0;
    for (const part of parts) crc = crc32(part, crc);
    this.write(Buffer.concat([u32(kind), u32(swaps.length), u32(payloadLength)]));
    for (const part of parts) this.write(part);
    this.write(u32(crc));
  }

  private write(bytes: Buffer): void {
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, this.position + done);
    this.position += bytes.length;
  }

  private sync(): void {
    if (this.durable) fsyncSync(this.fd);
  }
}

function swapBytes(swap: StoredSwap): number {
  return 8 + swap.values.reduce((sum, values) => sum + 4 + values.byteLength, 0);
}

/** What reading a partial file found. */
export interface PartialContents {
  header: PartialHeader;
  stimuliText: string;
  /** Swaps read (handed to onSwap). */
  swaps: number;
  /** The end record, or null: an unfinished part (a checkpoint). */
  end: PartialEnd | null;
  /** Bytes up to the end of the last intact record: where a resumed run appends. */
  validBytes: number;
  /** Why reading stopped before the file's end (a record cut short or failing its CRC), if it did. */
  damage: string | null;
  /**
   * Whether that record is the file's last, as a kill or a power cut while appending leaves it (a resumed run
   * truncates it); a damaged record with more after it is damage a rerun cannot mend.
   */
  damageAtEnd: boolean;
}

/**
 * A file that ends before its header and stimuli are whole: empty, or cut while its first write was under way.
 * A checkpoint like this holds nothing yet, so a rerun starts over (src/shard/checkpoint.ts).
 */
export class PartialCutInHeader extends UserError {
  constructor(path: string, readonly reason: string) {
    super(`${path} is not an iw-partial/1 file (${reason}); parts are the .iwp files iw estimate --shard writes`);
  }
}

/** Reads just the header (and stimuli) of a partial file. */
export function readPartialHeader(path: string): PartialContents {
  return readPartial(path, undefined, { headerOnly: true });
}

/**
 * Reads a partial file, handing every stored swap to `onSwap` in file order. Refuses a file that is not one, or
 * whose header or records contradict themselves or the bytes present (naming it); stops at a record cut short or
 * failing its CRC and says so in `damage`.
 */
export function readPartial(path: string, onSwap?: (swap: StoredSwap) => void, options: { headerOnly?: boolean } = {}): PartialContents {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new UserError(`${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return readOpenPartial(fd, path, onSwap, options.headerOnly ?? false);
  } finally {
    closeSync(fd);
  }
}

function readOpenPartial(fd: number, path: string, onSwap: ((swap: StoredSwap) => void) | undefined, headerOnly: boolean): PartialContents {
  const size = fstatSync(fd).size;
  // Every read is checked against the file's size first: no buffer is larger than the bytes present.
  const read = (position: number, length: number): Buffer | null => {
    if (position + length > size) return null;
    const buffer = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(fd, buffer, done, length - done, position + done);
      if (n === 0) return null;
      done += n;
    }
    return buffer;
  };
  const notPartial = (why: string) => new UserError(`${path} is not an iw-partial/1 file (${why}); parts are the .iwp files iw estimate --shard writes`);
  const cut = (what: string) => new PartialCutInHeader(path, what);
  const magic = read(0, Math.min(size, 8));
  if (!magic || !MAGIC.subarray(0, magic.length).equals(magic)) throw notPartial('it does not start with IWPART1');
  if (size < 8) throw cut(size === 0 ? 'it is empty' : 'it is cut short inside its magic');
  let position = 8;
  const section = (what: string): string => {
    const length = read(position, 4);
    const body = length ? read(position + 4, length.readUInt32LE(0)) : null;
    if (!length || !body) throw cut(`its ${what} is cut short`);
    position += 4 + body.length;
    return body.toString('utf8');
  };
  let json: unknown;
  try {
    json = JSON.parse(section('header'));
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw notPartial('its header is not JSON');
  }
  const parsed = partialHeaderSchema.safeParse(json);
  if (!parsed.success) throw notPartial(`its header: ${firstIssue(parsed.error)}`);
  const header = parsed.data;
  const stimuliText = section('stimuli');
  // Each word of each sequence takes bytes in the stimuli: a header claiming more sequences × words than they hold
  // could make a reader loop over ranges the file cannot back.
  if (header.sequenceCount * header.wordCount > stimuliText.length) {
    throw notPartial(`its header claims ${header.sequenceCount} sequences of ${header.wordCount} words, more than its ${stimuliText.length} bytes of stimuli hold`);
  }
  const contents: PartialContents = { header, stimuliText, swaps: 0, end: null, validBytes: position, damage: null, damageAtEnd: true };
  if (headerOnly) return contents;
  while (position < size) {
    const head = read(position, 12);
    if (!head) { contents.damage = `a record at byte ${position} is cut short`; break; }
    const [kind, count, length] = [head.readUInt32LE(0), head.readUInt32LE(4), head.readUInt32LE(8)];
    const payload = read(position + 12, length);
    const crc = read(position + 12 + length, 4);
    if (!payload || !crc) { contents.damage = `the record at byte ${position} is cut short`; break; }
    if (crc.readUInt32LE(0) !== crc32(payload)) {
      contents.damage = `the record at byte ${position} fails its CRC`;
      contents.damageAtEnd = position + 16 + length >= size;
      break;
    }
    if (contents.end) throw notPartial('it has records after its end record');
    if (kind === KIND_SWAPS) {
      contents.swaps += readSwaps(payload, count, header, (why) => notPartial(`the record at byte ${position}: ${why}`), onSwap);
    } else if (kind === KIND_END) {
      contents.end = parseEnd(payload, (why) => notPartial(`its end record: ${why}`));
    } else {
      throw notPartial(`it has a record of unknown kind ${kind} at byte ${position}`);
    }
    position += 16 + length;
    contents.validBytes = position;
  }
  return contents;
}

/**
 * The swaps of one record's payload, each checked before it is copied: its table fits the payload, its floats
 * lie inside the payload and number no more than the accumulator's band can hold, its sequence and word lie in
 * the run. Returns how many swaps it held.
 */
function readSwaps(payload: Buffer, count: number, header: PartialHeader, invalid: (why: string) => Error, onSwap?: (swap: StoredSwap) => void): number {
  const accumulators = header.accumulators.length;
  const rowBytes = 4 * (2 + accumulators);
  if (count * rowBytes > payload.length) throw invalid(`it claims ${count} swaps, more than its ${payload.length} bytes hold`);
  const mostFloats = header.accumulators.map((a) => a.layers.length * (header.maxLag + 1) * a.width);
  let table = 0, values = count * rowBytes;
  for (let i = 0; i < count; i++) {
    const sequence = payload.readUInt32LE(table), swapPosition = payload.readUInt32LE(table + 4);
    if (sequence >= header.sequenceCount || swapPosition >= header.wordCount) {
      throw invalid(`swap ${i + 1} is at sequence ${sequence + 1}, word ${swapPosition + 1}, outside the run's ${header.sequenceCount} sequences of ${header.wordCount} words`);
    }
    const stored: Float32Array[] = [];
    for (let a = 0; a < accumulators; a++) {
      const floats = payload.readUInt32LE(table + 8 + 4 * a);
      if (floats > mostFloats[a] || values + floats * 4 > payload.length) {
        throw invalid(`swap ${i + 1} claims ${floats} values for ${header.accumulators[a].name}, more than ${floats > mostFloats[a] ? `its band holds (${mostFloats[a]})` : 'the record holds'}`);
      }
      const copy = new Float32Array(floats);
      new Uint8Array(copy.buffer).set(payload.subarray(values, values + floats * 4));
      stored.push(copy);
      values += floats * 4;
    }
    table += rowBytes;
    onSwap?.({ sequence, swapPosition, values: stored });
  }
  return count;
}

function parseEnd(payload: Buffer, invalid: (why: string) => Error): PartialEnd {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    throw invalid('it is not JSON');
  }
  const parsed = partialEndSchema.safeParse(json);
  if (!parsed.success) throw invalid(firstIssue(parsed.error));
  return parsed.data;
}

/** Stored swaps of one accumulator as SwapEntry (for DifferenceAccumulator.addEntry). */
export function entryOf(swap: StoredSwap, accumulator: number): SwapEntry {
  return { sequence: swap.sequence, swapPosition: swap.swapPosition, values: swap.values[accumulator] };
}

function u32(value: number): Buffer {
  const buffer = Buffer.allocUnsafe(4);
  buffer.writeUInt32LE(value >>> 0, 0);
  return buffer;
}

/** CRC-32 (zlib's, as in gzip and PNG); node's own where it has one (Node ≥ 20.15). */
function crc32(data: Uint8Array, previous = 0): number {
  const native = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
  if (native) return native(data, previous);
  let crc = ~previous >>> 0;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();
