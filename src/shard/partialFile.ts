import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import * as zlib from 'node:zlib';
import type { SwapEntry } from '../measure/index.js';
import { UserError } from '../util/errors.js';

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
 * All integers and floats are little-endian. A record cut short or failing its CRC (a process killed while
 * appending) ends the readable part: everything before it is intact, and a resumed run truncates the rest.
 */
export const PARTIAL_FORMAT = 'iw-partial/1';
export const PARTIAL_EXTENSION = '.iwp';
const MAGIC = Buffer.from('IWPART1\n', 'ascii');
const KIND_SWAPS = 1;
const KIND_END = 2;
/** Swaps records are cut at about this many payload bytes (u32 lengths; bounded memory when reading). */
const RECORD_BYTES = 256 * 1024 ** 2;

if (endianness() !== 'LE') throw new Error('iw-partial/1 files are little-endian; this machine is big-endian');

/** One named accumulator as the header describes it (its values per swap follow in this order). */
export interface AccumulatorDescription {
  name: string;
  layers: number[];
  width: number;
  /** How many float32 values one swap at word k holds, in words (e.g. "layers × (min(maxLag, N − 1 − k) + 1) × width"). */
  valuesPerSwap: string;
}

export interface PartialHeader {
  format: typeof PARTIAL_FORMAT;
  /** What makes two partials parts of one run: equal identities (see runIdentity.ts). */
  identity: Record<string, unknown> & { iw: string; modelSha256: string; stimuliSha256: string; settings: Record<string, unknown> };
  /** Shard K of N and its share, or null for a whole run's checkpoint. */
  shard: { index: number; count: number; sequences: [number, number] } | null;
  sequenceCount: number;
  wordCount: number;
  maxLag: number;
  /** Swaps the part must hold when complete (its sequences' non-null swaps). */
  swaps: number;
  accumulators: AccumulatorDescription[];
  /** What the report needs besides the differences (model facts, resolved settings, …), as the pipeline wrote it. */
  run: Record<string, unknown>;
  startedAt: string;
}

export interface PartialEnd {
  swaps: number;
  sequences: number;
  durationSeconds: number;
  statistics: Record<string, unknown>;
}

/** A swap's values for every accumulator, in header order. */
export type StoredSwap = { sequence: number; swapPosition: number; values: Float32Array[] };

/** Appends iw-partial/1 records to a file descriptor (a new file, or a checkpoint reopened after its last good record). */
export class PartialWriter {
  private constructor(private fd: number, private readonly durable: boolean) {}

  /** Starts a new file: magic, header and stimuli. */
  static create(path: string, header: PartialHeader, stimuliText: string, durable = true): PartialWriter {
    const fd = openSync(path, 'w');
    const writer = new PartialWriter(fd, durable);
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const stimuliBytes = Buffer.from(stimuliText, 'utf8');
    writer.write(Buffer.concat([MAGIC, u32(headerBytes.length), headerBytes, u32(stimuliBytes.length), stimuliBytes]));
    writer.sync();
    return writer;
  }

  /** Reopens a file to append after `validBytes` (dropping a record cut short by a kill). */
  static reopen(path: string, validBytes: number, durable = true): PartialWriter {
    const fd = openSync(path, 'r+');
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
  /** Why reading stopped before the file's end (a record cut short or corrupt), if it did. */
  damage: string | null;
}

/** Reads just the header (and stimuli) of a partial file. */
export function readPartialHeader(path: string): PartialContents {
  return readPartial(path, undefined, { headerOnly: true });
}

/**
 * Reads a partial file, handing every stored swap to `onSwap` in file order. Refuses a file that is not one
 * (naming it); stops at the first record cut short or failing its CRC and says so in `damage`.
 */
export function readPartial(path: string, onSwap?: (swap: StoredSwap) => void, options: { headerOnly?: boolean } = {}): PartialContents {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new UserError(`${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    const size = fstatSync(fd).size;
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
    const magic = read(0, 8);
    if (!magic || !magic.equals(MAGIC)) throw notPartial('it does not start with IWPART1');
    let position = 8;
    const section = (what: string): string => {
      const length = read(position, 4);
      const body = length ? read(position + 4, length.readUInt32LE(0)) : null;
      if (!length || !body) throw notPartial(`its ${what} is cut short`);
      position += 4 + body.length;
      return body.toString('utf8');
    };
    let header: PartialHeader;
    try {
      header = JSON.parse(section('header')) as PartialHeader;
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw notPartial('its header is not JSON');
    }
    if (header.format !== PARTIAL_FORMAT) throw notPartial(`its header says format ${JSON.stringify(header.format)}`);
    const stimuliText = section('stimuli');
    const contents: PartialContents = { header, stimuliText, swaps: 0, end: null, validBytes: position, damage: null };
    if (options.headerOnly) return contents;
    while (position < size) {
      const head = read(position, 12);
      if (!head) { contents.damage = `a record at byte ${position} is cut short`; break; }
      const [kind, count, length] = [head.readUInt32LE(0), head.readUInt32LE(4), head.readUInt32LE(8)];
      const payload = read(position + 12, length);
      const crc = read(position + 12 + length, 4);
      if (!payload || !crc) { contents.damage = `the record at byte ${position} is cut short`; break; }
      if (crc.readUInt32LE(0) !== crc32(payload)) { contents.damage = `the record at byte ${position} fails its CRC`; break; }
      if (contents.end) throw notPartial('it has records after its end record');
      if (kind === KIND_SWAPS) {
        const accumulators = header.accumulators.length;
        let table = 0, values = count * 4 * (2 + accumulators);
        for (let i = 0; i < count; i++) {
          const sequence = payload.readUInt32LE(table), swapPosition = payload.readUInt32LE(table + 4);
          const stored: Float32Array[] = [];
          for (let a = 0; a < accumulators; a++) {
            const floats = payload.readUInt32LE(table + 8 + 4 * a);
            const copy = new Float32Array(floats);
            new Uint8Array(copy.buffer).set(payload.subarray(values, values + floats * 4));
            stored.push(copy);
            values += floats * 4;
          }
          table += 4 * (2 + accumulators);
          contents.swaps++;
          onSwap?.({ sequence, swapPosition, values: stored });
        }
      } else if (kind === KIND_END) {
        contents.end = JSON.parse(payload.toString('utf8')) as PartialEnd;
      } else {
        throw notPartial(`it has a record of unknown kind ${kind} at byte ${position}`);
      }
      position += 16 + length;
      contents.validBytes = position;
    }
    return contents;
  } finally {
    closeSync(fd);
  }
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
