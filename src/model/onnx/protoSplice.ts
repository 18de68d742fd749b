/**
 * Protobuf wire format at the level of a message's top fields: find each field's bytes, and build a new
 * message from pieces (original field bytes kept verbatim, edited fields re-encoded). Editing an ONNX model
 * this way copies its weights once and re-encodes only the few small messages that change, so nothing the
 * schema does not know about can be lost and a large model costs one copy of memory, not several.
 */

import { concatenate } from '../../util/index.js';

export interface FieldSpan {
  fieldNumber: number;
  wireType: number;
  /** Offset of the field's tag. */
  start: number;
  /** Offset just past the field. */
  end: number;
  /** Offset of the value (for length-delimited fields: after the length prefix). */
  valueStart: number;
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_START_GROUP = 3;
const WIRE_END_GROUP = 4;
const WIRE_FIXED32 = 5;

/**
 * Bytes a message is scanned from: a buffer in memory, or a file read through a window (onnxFile.ts), so that a
 * model's structure can be found without reading its weights.
 */
export interface ByteSource {
  readonly length: number;
  /** The byte at `offset` (0 ≤ offset < length). */
  at(offset: number): number;
}

/** A buffer as a ByteSource. */
export function bufferSource(bytes: Uint8Array): ByteSource {
  return { length: bytes.length, at: (offset) => bytes[offset] };
}

/** Reads a varint at `offset`; returns its value (exact up to 2^53) and the offset after it. */
function readVarint(bytes: ByteSource, offset: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let position = offset; position < bytes.length; position++) {
    const byte = bytes.at(position);
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return [value, position + 1];
    scale *= 128;
    if (position - offset > 9) break;
  }
  throw new Error(`malformed protobuf varint at byte ${offset}`);
}

/** The top-level fields of one message, in file order. */
export function scanFields(bytes: Uint8Array): FieldSpan[] {
  return scanSourceFields(bufferSource(bytes), 0, bytes.length);
}

/** The fields of the message that occupies [from, to) of `bytes`, in file order (offsets are into `bytes`). */
export function scanSourceFields(bytes: ByteSource, from: number, to: number): FieldSpan[] {
  const fields: FieldSpan[] = [];
  let offset = from;
  while (offset < to) {
    const start = offset;
    const [tag, afterTag] = readVarint(bytes, offset);
    const fieldNumber = Math.floor(tag / 8);
    const wireType = tag & 7;
    let valueStart = afterTag;
    let end: number;
    switch (wireType) {
      case WIRE_VARINT: end = readVarint(bytes, afterTag)[1]; break;
      case WIRE_FIXED64: end = afterTag + 8; break;
      case WIRE_FIXED32: end = afterTag + 4; break;
      case WIRE_LENGTH_DELIMITED: {
        const [length, afterLength] = readVarint(bytes, afterTag);
        valueStart = afterLength;
        end = afterLength + length;
        break;
      }
      case WIRE_START_GROUP:
      case WIRE_END_GROUP:
        throw new Error(`protobuf groups are not used by ONNX (field ${fieldNumber} at byte ${start})`);
      default: throw new Error(`malformed protobuf: wire type ${wireType} at byte ${start}`);
    }
    if (end > to) throw new Error(`malformed protobuf: field ${fieldNumber} runs past the end`);
    fields.push({ fieldNumber, wireType, start, end, valueStart });
    offset = end;
  }
  return fields;
}

/** The value bytes of a length-delimited field (e.g. an embedded message). */
export function fieldValue(bytes: Uint8Array, field: FieldSpan): Uint8Array {
  return bytes.subarray(field.valueStart, field.end);
}

/** The whole field, tag included, as it stands in the file. */
export function fieldBytes(bytes: Uint8Array, field: FieldSpan): Uint8Array {
  return bytes.subarray(field.start, field.end);
}

export function encodeVarint(value: number): Uint8Array {
  const out: number[] = [];
  let rest = value;
  while (rest >= 128) {
    out.push((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return Uint8Array.from(out);
}

/** A length-delimited field made of pieces (tag, length, then the pieces as they are). */
export function lengthDelimitedField(fieldNumber: number, pieces: readonly Uint8Array[]): Uint8Array[] {
  const length = pieces.reduce((sum, piece) => sum + piece.length, 0);
  return [encodeVarint(fieldNumber * 8 + WIRE_LENGTH_DELIMITED), encodeVarint(length), ...pieces];
}

/** Joins pieces into one buffer (the only full copy an edit makes). */
export function joinPieces(pieces: readonly Uint8Array[]): Uint8Array {
  return concatenate(pieces, (length) => new Uint8Array(length));
}
