import { isUtf8 } from 'node:buffer';
import { UserError } from '../util/index.js';

/**
 * Decodes a corpus file's bytes as UTF-8, refusing anything else with the byte offset (and line) of the first
 * bad byte, so the user can find it. A leading byte-order mark is dropped and CRLF line ends become LF.
 */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  if (!isUtf8(bytes)) {
    const offset = firstInvalidUtf8Offset(bytes);
    const line = 1 + countNewlines(bytes, offset);
    throw new UserError(
      `${file} is not UTF-8 text: byte offset ${offset} (line ${line}) holds 0x${bytes[offset].toString(16).padStart(2, '0')}, ` +
      'which cannot start or continue a UTF-8 character; convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)',
    );
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence (RFC 3629), or -1. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return -1;
}

/** Length of the well-formed sequence starting at i, or 0 when it is malformed. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i];
  if (lead < 0x80) return 1;
  // [lowest lead, highest lead, length, allowed range of the second byte] per RFC 3629's table.
  const forms: Array<[number, number, number, number, number]> = [
    [0xc2, 0xdf, 2, 0x80, 0xbf],
    [0xe0, 0xe0, 3, 0xa0, 0xbf],
    [0xe1, 0xec, 3, 0x80, 0xbf],
    [0xed, 0xed, 3, 0x80, 0x9f],
    [0xee, 0xef, 3, 0x80, 0xbf],
    [0xf0, 0xf0, 4, 0x90, 0xbf],
    [0xf1, 0xf3, 4, 0x80, 0xbf],
    [0xf4, 0xf4, 4, 0x80, 0x8f],
  ];
  const form = forms.find(([low, high]) => lead >= low && lead <= high);
  if (!form) return 0;
  const [, , length, secondLow, secondHigh] = form;
  if (i + length > bytes.length) return 0;
  if (bytes[i + 1] < secondLow || bytes[i + 1] > secondHigh) return 0;
  for (let k = 2; k < length; k++) if (bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) return 0;
  return length;
}

function countNewlines(bytes: Uint8Array, end: number): number {
  let lines = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) lines++;
  return lines;
}
