import { readFileSync } from 'node:fs';
import { InferenceSession, Tensor } from 'onnxruntime-node';

/**
 * A reference for taps: the named tensors of an ONNX file as ONNX Runtime itself computes them, from a copy of
 * the file whose graph lists them as outputs (added here by hand at the protobuf level, independently of iw's
 * graph editing), at the optimization level iw opens sessions with ('all'), on one unpadded sequence with an
 * empty past. Values come back as float32 (fp16 tensors widened exactly).
 */
export async function ortTensors(onnxFile: string, tensorNames: readonly string[], ids: readonly number[]): Promise<Map<string, Float32Array>> {
  const bytes = withGraphOutputs(readFileSync(onnxFile), tensorNames);
  const session = await InferenceSession.create(bytes, { graphOptimizationLevel: 'all', intraOpNumThreads: 1, logSeverityLevel: 3 });
  try {
    const results = await session.run(referenceFeeds(session, ids), [...tensorNames]);
    return new Map(tensorNames.map((name) => [name, widen(results[name])]));
  } finally {
    await session.release();
  }
}

function referenceFeeds(session: InferenceSession, ids: readonly number[]): Record<string, Tensor> {
  const n = ids.length;
  const feeds: Record<string, Tensor> = {};
  for (const [i, name] of session.inputNames.entries()) {
    const meta = session.inputMetadata[i] as { isTensor: boolean; type?: string; shape?: Array<number | string> };
    if (name === 'input_ids') feeds[name] = new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, n]);
    else if (name === 'attention_mask') feeds[name] = new Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]);
    else if (name === 'position_ids') feeds[name] = new Tensor('int64', BigInt64Array.from(ids, (_, p) => BigInt(p)), [1, n]);
    else if (name.startsWith('past_key_values')) {
      const shape = (meta.shape ?? []).map((d, axis) => (axis === 0 ? 1 : typeof d === 'number' ? d : 0));
      const type = meta.type === 'float16' ? 'float16' : 'float32';
      feeds[name] = new Tensor(type, type === 'float16' ? new Uint16Array(0) : new Float32Array(0), shape);
    } else throw new Error(`reference: cannot feed input ${name}`);
  }
  return feeds;
}

function widen(tensor: Tensor): Float32Array {
  if (tensor.type === 'float32') return tensor.data as Float32Array;
  if (tensor.type !== 'float16') throw new Error(`reference: tensor of type ${tensor.type}`);
  const bits = tensor.data as Uint16Array;
  // Half → float32 by the bit layout (sign, 5-bit exponent, 10-bit fraction), written out here on purpose.
  return Float32Array.from(bits, (h) => {
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0) return sign * fraction * 2 ** -24;
    if (exponent === 31) return fraction ? NaN : sign * Infinity;
    return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
  });
}

/** ModelProto with `names` appended to graph (field 7) as outputs (GraphProto field 12, ValueInfoProto.name = 1). */
function withGraphOutputs(model: Uint8Array, names: readonly string[]): Uint8Array {
  const pieces: Uint8Array[] = [];
  let offset = 0;
  while (offset < model.length) {
    const start = offset;
    const [key, afterKey] = readVarint(model, offset);
    const field = key >>> 3;
    const wire = key & 7;
    let end: number;
    if (wire === 0) end = readVarint(model, afterKey)[1];
    else if (wire === 2) {
      const [length, afterLength] = readVarint(model, afterKey);
      end = afterLength + length;
      if (field === 7) {
        const outputs = names.map((name) => lengthDelimited(12, lengthDelimited(1, new TextEncoder().encode(name))));
        pieces.push(lengthDelimited(7, concat([model.subarray(afterLength, end), ...outputs])));
        offset = end;
        continue;
      }
    } else if (wire === 5) end = afterKey + 4;
    else if (wire === 1) end = afterKey + 8;
    else throw new Error(`reference: wire type ${wire} in ModelProto`);
    pieces.push(model.subarray(start, end));
    offset = end;
  }
  return concat(pieces);
}

function readVarint(bytes: Uint8Array, offset: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = offset; ; i++) {
    value += (bytes[i] & 0x7f) * scale;
    scale *= 128;
    if ((bytes[i] & 0x80) === 0) return [value, i + 1];
  }
}

function varint(value: number): number[] {
  const out: number[] = [];
  for (let v = value; ; v = Math.floor(v / 128)) {
    if (v < 128) { out.push(v); return out; }
    out.push((v % 128) | 0x80);
  }
}

function lengthDelimited(field: number, body: Uint8Array): Uint8Array {
  return concat([Uint8Array.from([...varint((field << 3) | 2), ...varint(body.length)]), body]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) { out.set(part, at); at += part.length; }
  return out;
}
