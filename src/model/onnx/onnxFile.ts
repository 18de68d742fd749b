import { closeSync, fstatSync, openSync, readFileSync, readSync, realpathSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { OnnxField } from './onnxProto.js';
import { encodeVarint, joinPieces, lengthDelimitedField, scanSourceFields, type ByteSource, type FieldSpan } from './protoSplice.js';

const { MODEL_GRAPH, GRAPH_INITIALIZER, TENSOR_RAW_DATA, TENSOR_EXTERNAL_DATA, TENSOR_DATA_LOCATION, ENTRY_KEY, ENTRY_VALUE } = OnnxField;
/** TensorProto.DataLocation.EXTERNAL. */
const EXTERNAL = 1;

/**
 * Initializers with fewer raw bytes than this stay inline: iw's graph analysis reads scalars and shapes from
 * the graph (graphIndex.ts), and weights are far larger.
 */
const INLINE_BYTES = 4096;

/** A model's bytes as a session is created from them, and the folder its external data is read from. */
export interface OnnxStructure {
  bytes: Uint8Array;
  /** Folder that every external-data location in `bytes` is relative to. */
  dataFolder: string;
}

/**
 * An ONNX file's bytes with its large weights left in the file: every main-graph initializer of at least
 * INLINE_BYTES raw bytes becomes an ONNX external-data reference to where its bytes already are in this same
 * file (location = the file's name, offset, length). Every other byte (nodes, inputs, outputs, small tensors,
 * metadata, fields newer than iw's schema) is kept verbatim. The references name the file's real path (a
 * Hugging Face cache links snapshots/…/model.onnx to blobs/<hash>, and ONNX Runtime refuses external data outside
 * the folder it is given). A file that already keeps its weights in external data (.onnx_data) is small and is
 * returned whole, with its own folder.
 *
 * Why: a model opened as one buffer is held two or three times over (the file, the edited copy, ONNX
 * Runtime's parse of it) before ONNX Runtime makes its own copy of the weights; GPT-2 small's 0.65 GB became a
 * 4 GB peak. The structure alone is a few hundred kilobytes; ONNX Runtime reads the weights from the file itself
 * (the session's external-initializer folder is the model's folder, session.ts), once. Weights inside If
 * branches stay inline (merged decoders keep theirs in the main graph).
 *
 * Throws a plain Error on a malformed or truncated file (readOnnxModel turns it into a user error).
 */
export function readOnnxWithoutWeights(file: string): OnnxStructure {
  const realFile = realpathSync(file);
  const source = new FileWindow(realFile);
  try {
    const pieces: Uint8Array[] = [];
    for (const field of scanSourceFields(source, 0, source.length)) {
      if (field.fieldNumber !== MODEL_GRAPH) {
        pieces.push(source.slice(field.start, field.end));
        continue;
      }
      const graph = graphWithoutWeights(source, field, basename(realFile));
      if (graph === 'has external data') return { bytes: readFileSync(file), dataFolder: dirname(file) };
      pieces.push(...lengthDelimitedField(MODEL_GRAPH, graph));
    }
    return { bytes: joinPieces(pieces), dataFolder: dirname(realFile) };
  } finally {
    source.close();
  }
}

function graphWithoutWeights(source: FileWindow, graph: FieldSpan, fileName: string): Uint8Array[] | 'has external data' {
  const pieces: Uint8Array[] = [];
  for (const field of scanSourceFields(source, graph.valueStart, graph.end)) {
    if (field.fieldNumber !== GRAPH_INITIALIZER) {
      pieces.push(source.slice(field.start, field.end));
      continue;
    }
    const tensorFields = scanSourceFields(source, field.valueStart, field.end);
    if (tensorFields.some((f) => f.fieldNumber === TENSOR_DATA_LOCATION)) return 'has external data';
    const raw = tensorFields.find((f) => f.fieldNumber === TENSOR_RAW_DATA);
    const large = raw !== undefined && raw.end - raw.valueStart >= INLINE_BYTES;
    if (large) pieces.push(...lengthDelimitedField(GRAPH_INITIALIZER, tensorWithoutData(source, tensorFields, raw, fileName)));
    else pieces.push(source.slice(field.start, field.end));
  }
  return pieces;
}

/** A TensorProto's fields with raw_data replaced by a reference to those bytes in the file. */
function tensorWithoutData(source: FileWindow, fields: readonly FieldSpan[], raw: FieldSpan, fileName: string): Uint8Array[] {
  const kept = fields.filter((f) => f !== raw).map((f) => source.slice(f.start, f.end));
  const entry = (key: string, value: string) => lengthDelimitedField(TENSOR_EXTERNAL_DATA, [
    ...lengthDelimitedField(ENTRY_KEY, [text(key)]),
    ...lengthDelimitedField(ENTRY_VALUE, [text(value)]),
  ]);
  return [
    ...kept,
    ...entry('location', fileName),
    ...entry('offset', String(raw.valueStart)),
    ...entry('length', String(raw.end - raw.valueStart)),
    encodeVarint(TENSOR_DATA_LOCATION * 8), encodeVarint(EXTERNAL),
  ];
}

function text(value: string): Uint8Array {
  return new TextEncoder().encode(value);
}

/** Bytes of a file read through a moving window, so that scanning a large file costs one window of memory. */
class FileWindow implements ByteSource {
  readonly length: number;
  private readonly handle: number;
  private window = new Uint8Array(0);
  private windowStart = 0;
  private static readonly WINDOW_BYTES = 1 << 20;

  constructor(file: string) {
    this.handle = openSync(file, 'r');
    this.length = fstatSync(this.handle).size;
  }

  at(offset: number): number {
    if (offset < this.windowStart || offset >= this.windowStart + this.window.length) this.load(offset);
    return this.window[offset - this.windowStart];
  }

  /** A copy of bytes [start, end). */
  slice(start: number, end: number): Uint8Array {
    if (start >= this.windowStart && end <= this.windowStart + this.window.length) {
      return this.window.slice(start - this.windowStart, end - this.windowStart);
    }
    const out = new Uint8Array(end - start);
    this.readInto(out, start);
    return out;
  }

  close(): void {
    closeSync(this.handle);
  }

  private load(offset: number): void {
    this.window = new Uint8Array(Math.min(FileWindow.WINDOW_BYTES, this.length - offset));
    this.windowStart = offset;
    this.readInto(this.window, offset);
  }

  private readInto(out: Uint8Array, position: number): void {
    let done = 0;
    while (done < out.length) {
      const read = readSync(this.handle, out, done, out.length - done, position + done);
      if (read === 0) throw new Error(`unexpected end of file at byte ${position + done}`);
      done += read;
    }
  }
}
