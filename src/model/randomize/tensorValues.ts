import { floatToHalf } from '../onnx/float16.js';
import { OnnxDataType } from '../onnx/onnxProto.js';

/** Float types whose initializers can be re-drawn. Integer and boolean tensors are never parameters here. */
export const FLOAT_TYPES: ReadonlySet<number> = new Set([OnnxDataType.FLOAT, OnnxDataType.FLOAT16, OnnxDataType.BFLOAT16, OnnxDataType.DOUBLE]);

const BYTES_PER_ELEMENT: Record<number, number> = {
  [OnnxDataType.FLOAT]: 4,
  [OnnxDataType.FLOAT16]: 2,
  [OnnxDataType.BFLOAT16]: 2,
  [OnnxDataType.DOUBLE]: 8,
};

export function floatBytesPerElement(dataType: number): number {
  const size = BYTES_PER_ELEMENT[dataType];
  if (size === undefined) throw new Error(`not a float ONNX data type: ${dataType}`);
  return size;
}

const littleEndianHost = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * Writes `values` into `target` (a tensor's raw bytes, little-endian as ONNX stores them) in the tensor's
 * float type: float32 as is, float16 and bfloat16 rounded to nearest even, double widened.
 */
export function writeFloatValues(target: Uint8Array, dataType: number, values: Float32Array): void {
  const expected = values.length * floatBytesPerElement(dataType);
  if (target.length !== expected) throw new Error(`tensor holds ${target.length} bytes, expected ${expected}`);
  if (dataType === OnnxDataType.FLOAT && littleEndianHost) {
    target.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    return;
  }
  const view = new DataView(target.buffer, target.byteOffset, target.byteLength);
  for (let i = 0; i < values.length; i++) {
    switch (dataType) {
      case OnnxDataType.FLOAT: view.setFloat32(i * 4, values[i], true); break;
      case OnnxDataType.FLOAT16: view.setUint16(i * 2, floatToHalf(values[i]), true); break;
      case OnnxDataType.BFLOAT16: view.setUint16(i * 2, floatToBfloat16(values[i]), true); break;
      default: view.setFloat64(i * 8, values[i], true);
    }
  }
}

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** float32 → bfloat16 bits, rounding to nearest even (NaN kept a NaN). */
function floatToBfloat16(value: number): number {
  scratch[0] = value;
  const bits = scratchBits[0];
  if ((bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0) return (bits >>> 16) | 0x40;
  return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
}
