import protobuf from 'protobufjs';
import { onnxProtoSource } from './onnxSchema.js';

/**
 * Decoding and encoding ONNX messages with protobufjs. Unknown fields are kept ($unknowns) so that a message
 * decoded and re-encoded here loses nothing, even from an ONNX version newer than the schema.
 * The interfaces below name only the fields iw reads; decoded objects carry every field.
 */

const root = protobuf.parse(onnxProtoSource, { keepCase: true }).root;
const modelType = root.lookupType('onnx.ModelProto');
const nodeType = root.lookupType('onnx.NodeProto');
const valueInfoType = root.lookupType('onnx.ValueInfoProto');

/** int64 fields arrive as Long objects (or numbers); this is a whole number either way. */
export type Int64 = number | { toNumber(): number };

export function int64(value: Int64 | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

export interface OnnxDimension {
  dim_value?: Int64;
  dim_param?: string;
}

export interface OnnxValueInfo {
  name: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim: OnnxDimension[] } } };
}

export interface OnnxStringEntry {
  key: string;
  value: string;
}

export interface OnnxTensor {
  name: string;
  dims: Int64[];
  data_type: number;
  raw_data?: Uint8Array;
  float_data: number[];
  int32_data: number[];
  int64_data: Int64[];
  double_data: number[];
  external_data: OnnxStringEntry[];
  data_location?: number;
}

export interface OnnxAttribute {
  name: string;
  type?: number;
  i?: Int64;
  f?: number;
  s?: Uint8Array;
  t?: OnnxTensor;
  g?: OnnxGraph;
  ints: Int64[];
  graphs: OnnxGraph[];
}

export interface OnnxNode {
  input: string[];
  output: string[];
  name?: string;
  op_type: string;
  domain?: string;
  attribute: OnnxAttribute[];
}

export interface OnnxGraph {
  node: OnnxNode[];
  name?: string;
  initializer: OnnxTensor[];
  input: OnnxValueInfo[];
  output: OnnxValueInfo[];
}

export interface OnnxModel {
  ir_version?: Int64;
  opset_import: { domain?: string; version?: Int64 }[];
  graph: OnnxGraph;
}

/**
 * Field numbers of the ONNX messages iw edits at the wire level (protoSplice.ts), as onnxSchema.ts declares them:
 * ModelProto.graph; GraphProto.node, .initializer, .input, .output; TensorProto.raw_data, .external_data, .data_location;
 * StringStringEntryProto.key, .value.
 */
export const OnnxField = {
  MODEL_GRAPH: 7,
  GRAPH_NODE: 1,
  GRAPH_INITIALIZER: 5,
  GRAPH_INPUT: 11,
  GRAPH_OUTPUT: 12,
  TENSOR_RAW_DATA: 9,
  TENSOR_EXTERNAL_DATA: 13,
  TENSOR_DATA_LOCATION: 14,
  ENTRY_KEY: 1,
  ENTRY_VALUE: 2,
} as const;

/** ONNX TensorProto.DataType values iw handles. */
export const OnnxDataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  FLOAT16: 10,
  DOUBLE: 11,
  BFLOAT16: 16,
} as const;

function reader(bytes: Uint8Array): protobuf.Reader {
  const r = protobuf.Reader.create(bytes);
  r.discardUnknown = false;
  return r;
}

/** Decodes a whole model. Byte fields (weights) are views into `bytes`, not copies. */
export function decodeModel(bytes: Uint8Array): OnnxModel {
  return modelType.decode(reader(bytes)) as unknown as OnnxModel;
}

export function decodeNode(bytes: Uint8Array): OnnxNode {
  return nodeType.decode(reader(bytes)) as unknown as OnnxNode;
}

export function decodeValueInfo(bytes: Uint8Array): OnnxValueInfo {
  return valueInfoType.decode(reader(bytes)) as unknown as OnnxValueInfo;
}

export function encodeNode(node: OnnxNode): Uint8Array {
  return nodeType.encode(node as unknown as protobuf.Message).finish();
}

export function encodeValueInfo(info: OnnxValueInfo): Uint8Array {
  return valueInfoType.encode(valueInfoType.fromObject(info)).finish();
}

export function encodeModel(model: OnnxModel): Uint8Array {
  return modelType.encode(model as unknown as protobuf.Message).finish();
}
