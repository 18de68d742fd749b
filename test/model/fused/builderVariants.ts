import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModel, encodeModel, int64, type OnnxTensor, type OnnxValueInfo } from '../../../src/model/onnx/onnxProto.js';
import { float32ToHalf } from '../../../src/model/onnx/float16.js';
import { copyFolder, tempDir } from '../modelTestKit.js';

const FLOAT = 1;
const INT32 = 6;
const INT64 = 7;
const FLOAT16 = 10;

export interface VariantOptions {
  /** Weights, past/present and logits in half precision. */
  fp16?: boolean;
  /** Integer graph inputs declared int32 (the builder's choice for some execution providers). */
  int32?: boolean;
}

/**
 * A copy of a builder export as onnxruntime-genai's builder writes it for other settings. fp16 (io_dtype float16):
 * every float initializer stored in half precision (external data read and written inline), the float graph inputs
 * and outputs (past and present keys/values, logits) declared float16; the weights are the fp32 file's rounded to
 * half, so the copy's layers differ from the fp32 file's by fp16 rounding only. int32: the integer inputs declared
 * int32 (only for graphs whose ops take either, such as ORT's GPT-2: Cast, Attention's mask). Intermediate type
 * annotations are dropped so that ONNX Runtime infers them.
 */
export function builderVariant(folder: string, options: VariantOptions, file = 'onnx/model.onnx'): string {
  const target = join(tempDir('builder-variant'), 'model');
  mkdirSync(target);
  copyFolder(folder, target);
  const path = join(folder, file);
  const model = decodeModel(readFileSync(path));
  const dataFolder = join(folder, file, '..');
  if (options.fp16) {
    model.graph.initializer = model.graph.initializer.map((tensor) => (tensor.data_type === FLOAT ? toHalf(tensor, dataFolder) : tensor));
    for (const value of [...model.graph.input, ...model.graph.output]) retype(value, FLOAT, FLOAT16);
  }
  if (options.int32) for (const value of model.graph.input) retype(value, INT64, INT32);
  (model.graph as { value_info?: unknown[] }).value_info = [];
  writeFileSync(join(target, file), encodeModel(model));
  return target;
}

function toHalf(tensor: OnnxTensor, dataFolder: string): OnnxTensor {
  const values = floatValues(tensor, dataFolder);
  const half = float32ToHalf(values);
  return { ...tensor, data_type: FLOAT16, raw_data: new Uint8Array(half.buffer), float_data: [], external_data: [], data_location: 0 };
}

function floatValues(tensor: OnnxTensor, dataFolder: string): Float32Array {
  if (tensor.float_data.length > 0) return Float32Array.from(tensor.float_data);
  let bytes = tensor.raw_data;
  if (tensor.external_data.length > 0) {
    const entry = (key: string) => tensor.external_data.find((e) => e.key === key)?.value;
    const data = readFileSync(join(dataFolder, entry('location')!));
    const offset = Number(entry('offset') ?? 0);
    const count = tensor.dims.reduce<number>((n, d) => n * int64(d), 1);
    bytes = data.subarray(offset, offset + Number(entry('length') ?? count * 4));
  }
  if (!bytes) throw new Error(`${tensor.name} holds no data`);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function retype(value: OnnxValueInfo, from: number, to: number): void {
  const tensorType = value.type?.tensor_type;
  if (tensorType?.elem_type === from) tensorType.elem_type = to;
}
