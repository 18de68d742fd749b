import { openSync, readSync, closeSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { bfloat16ToFloat, halfToFloat } from './float16.js';
import { int64, OnnxDataType, type OnnxTensor } from './onnxProto.js';

/** Reads a stored tensor's numbers as float32, whatever its storage: raw bytes, typed fields or an external file. */

const littleEndianHost = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

function tensorShape(tensor: OnnxTensor): number[] {
  return tensor.dims.map((d) => int64(d));
}

export function tensorElementCount(tensor: OnnxTensor): number {
  return tensorShape(tensor).reduce((n, d) => n * d, 1);
}

/**
 * The tensor's values as float32. `modelDir` is where external data files are looked up (the folder of the
 * .onnx file). Float, half, bfloat16, double and the 8/32/64-bit integer types are read.
 */
export function tensorToFloat32(tensor: OnnxTensor, modelDir: string): Float32Array {
  const count = tensorElementCount(tensor);
  const typed = typedFieldValues(tensor);
  if (typed) return Float32Array.from({ length: count }, (_, i) => typed(i));
  const bytes = tensorBytes(tensor, modelDir);
  if (tensor.data_type === OnnxDataType.FLOAT && bytes.byteOffset % 4 === 0 && littleEndianHost) {
    return new Float32Array(bytes.buffer, bytes.byteOffset, count).slice(); // raw_data is little-endian, as is the host
  }
  const read = elementReader(tensor.data_type, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = read(i);
  return out;
}

/** Values stored in float_data / int32_data / int64_data / double_data rather than raw bytes. */
function typedFieldValues(tensor: OnnxTensor): ((i: number) => number) | undefined {
  if (tensor.float_data.length > 0) return (i) => tensor.float_data[i];
  if (tensor.double_data.length > 0) return (i) => tensor.double_data[i];
  if (tensor.int64_data.length > 0) return (i) => int64(tensor.int64_data[i]);
  if (tensor.int32_data.length > 0) return (i) => int32FieldValue(tensor.data_type, tensor.int32_data[i]);
  return undefined;
}

/** int32_data holds the bit patterns of float16 / bfloat16 values, and small integers as themselves. */
export function int32FieldValue(dataType: number, value: number): number {
  if (dataType === OnnxDataType.FLOAT16) return halfToFloat(value);
  if (dataType === OnnxDataType.BFLOAT16) return bfloat16ToFloat(value);
  return value;
}

function elementReader(dataType: number, view: DataView): (i: number) => number {
  switch (dataType) {
    case OnnxDataType.FLOAT: return (i) => view.getFloat32(i * 4, true);
    case OnnxDataType.FLOAT16: return (i) => halfToFloat(view.getUint16(i * 2, true));
    case OnnxDataType.BFLOAT16: return (i) => bfloat16ToFloat(view.getUint16(i * 2, true));
    case OnnxDataType.DOUBLE: return (i) => view.getFloat64(i * 8, true);
    case OnnxDataType.UINT8: return (i) => view.getUint8(i);
    case OnnxDataType.INT8: return (i) => view.getInt8(i);
    case OnnxDataType.INT32: return (i) => view.getInt32(i * 4, true);
    case OnnxDataType.INT64: return (i) => Number(view.getBigInt64(i * 8, true));
    default: throw new Error(`cannot read ONNX tensors of data type ${dataType} as numbers`);
  }
}

/** The tensor's raw bytes: inline, or from its external data file. */
export function tensorBytes(tensor: OnnxTensor, modelDir: string): Uint8Array {
  if (tensor.data_location !== 1) return tensor.raw_data ?? new Uint8Array(0);
  const entry = (key: string) => tensor.external_data.find((e) => e.key === key)?.value;
  const location = entry('location');
  if (!location || isAbsolute(location) || normalize(location).startsWith('..')) {
    throw new Error(`tensor ${tensor.name}: external data location ${JSON.stringify(location)} is not a file beside the model`);
  }
  const offset = Number(entry('offset') ?? 0);
  const length = Number(entry('length') ?? tensorElementCount(tensor) * bytesPerElement(tensor.data_type));
  const out = new Uint8Array(length);
  const handle = openSync(join(modelDir, location), 'r');
  try {
    readSync(handle, out, 0, length, offset);
  } finally {
    closeSync(handle);
  }
  return out;
}

function bytesPerElement(dataType: number): number {
  const sizes: Record<number, number> = { 1: 4, 2: 1, 3: 1, 6: 4, 7: 8, 10: 2, 11: 8, 16: 2 };
  const size = sizes[dataType];
  if (size === undefined) throw new Error(`cannot size ONNX tensors of data type ${dataType}`);
  return size;
}
