import { bfloat16ToFloat, halfToFloat } from './float16.js';
import { int64, OnnxDataType, type OnnxTensor } from './onnxProto.js';
import { checkTensorData, claimedElementCount, readExternalData, TensorDataError } from './tensorSize.js';

/** Reads a stored tensor's numbers as float32, whatever its storage: raw bytes, typed fields or an external file. */

const littleEndianHost = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The number of values the tensor's dims claim (whole numbers >= 0, or TensorDataError). */
export function tensorElementCount(tensor: OnnxTensor): number {
  return claimedElementCount(tensor);
}

/**
 * The tensor's values as float32. `modelDir` is where external data files are looked up (the folder of the
 * .onnx file). Float, half, bfloat16, double and the 8/32/64-bit integer types are read. Nothing is allocated
 * before the data present is checked against the dims (checkTensorData).
 */
export function tensorToFloat32(tensor: OnnxTensor, modelDir: string): Float32Array {
  checkTensorData(tensor, modelDir);
  const count = tensorElementCount(tensor);
  const typed = typedFieldValues(tensor);
  if (typed) {
    if (typed.length !== count) throw new TensorDataError(tensor, `claims ${count} values but holds ${typed.length} in a typed field`);
    return Float32Array.from({ length: count }, (_, i) => typed.at(i));
  }
  const bytes = tensorBytes(tensor, modelDir);
  if (tensor.data_type === OnnxDataType.FLOAT && bytes.byteOffset % 4 === 0 && littleEndianHost) {
    return new Float32Array(bytes.buffer, bytes.byteOffset, count).slice(); // raw_data is little-endian, as is the host
  }
  const read = elementReader(tensor.data_type, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = read(i);
  return out;
}

/** Values stored in float_data / int32_data / int64_data / double_data rather than raw bytes, and how many. */
function typedFieldValues(tensor: OnnxTensor): { length: number; at: (i: number) => number } | undefined {
  if (tensor.float_data.length > 0) return { length: tensor.float_data.length, at: (i) => tensor.float_data[i] };
  if (tensor.double_data.length > 0) return { length: tensor.double_data.length, at: (i) => tensor.double_data[i] };
  if (tensor.int64_data.length > 0) return { length: tensor.int64_data.length, at: (i) => int64(tensor.int64_data[i]) };
  if (tensor.int32_data.length > 0) return { length: tensor.int32_data.length, at: (i) => int32FieldValue(tensor.data_type, tensor.int32_data[i]) };
  return undefined;
}

/** int32_data holds the bit patterns of float16 / bfloat16 values, and small integers as themselves. */
export function int32FieldValue(dataType: number, value: number): number {
  if (dataType === OnnxDataType.FLOAT16) return halfToFloat(value);
  if (dataType === OnnxDataType.BFLOAT16) return bfloat16ToFloat(value);
  return value;
}

function elementReader(dataType: number, view: DataView): (i: number) => number {
  const reader = numberReader(dataType, view);
  if (!reader) throw new Error(`cannot read ONNX tensors of data type ${dataType} as numbers`);
  return reader;
}

/** Element i of little-endian raw tensor bytes as a number, for the data types iw reads; undefined for others. */
export function numberReader(dataType: number, view: DataView): ((i: number) => number) | undefined {
  switch (dataType) {
    case OnnxDataType.FLOAT: return (i) => view.getFloat32(i * 4, true);
    case OnnxDataType.FLOAT16: return (i) => halfToFloat(view.getUint16(i * 2, true));
    case OnnxDataType.BFLOAT16: return (i) => bfloat16ToFloat(view.getUint16(i * 2, true));
    case OnnxDataType.DOUBLE: return (i) => view.getFloat64(i * 8, true);
    case OnnxDataType.UINT8: return (i) => view.getUint8(i);
    case OnnxDataType.INT8: return (i) => view.getInt8(i);
    case OnnxDataType.INT32: return (i) => view.getInt32(i * 4, true);
    case OnnxDataType.INT64: return (i) => Number(view.getBigInt64(i * 8, true));
    default: return undefined;
  }
}

/** The tensor's raw bytes: inline, or from its external data file (checked first: see readExternalData). */
export function tensorBytes(tensor: OnnxTensor, modelDir: string): Uint8Array {
  if (tensor.data_location !== 1) return tensor.raw_data ?? new Uint8Array(0);
  return readExternalData(tensor, modelDir);
}
