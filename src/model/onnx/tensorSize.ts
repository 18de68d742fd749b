import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { UserError } from '../../util/index.js';
import { fileInsideFolder } from '../../util/index.js';
import { int64, OnnxDataType, type OnnxGraph, type OnnxModel, type OnnxTensor } from './onnxProto.js';

/**
 * How many values an ONNX tensor claims (its dims) against the bytes it actually holds, checked before anything
 * is sized from the dims: a file from a stranger can claim 4000 × 1000 floats and hold one, or an external-data
 * length of 10^11 bytes. External data is read only from regular files inside the model's folder, not through a
 * symlink (see util/modelFolderFiles.ts).
 */

/** A tensor whose data does not match its dims, or whose external data is not where it may be read. */
export class TensorDataError extends UserError {
  constructor(tensor: OnnxTensor, problem: string) {
    super(`tensor ${JSON.stringify(tensor.name)} ${problem}`);
    this.name = 'TensorDataError';
  }
}

/**
 * Checks every stored tensor of a model (initializers and Constant values, in the main graph and its subgraphs) with
 * checkTensorData, before ONNX Runtime or iw sizes anything from them. Throws TensorDataError for the first that
 * fails.
 */
export function checkModelTensors(model: OnnxModel, dataFolder: string | undefined): void {
  const visit = (graph: OnnxGraph) => {
    for (const tensor of graph.initializer) checkTensorData(tensor, dataFolder);
    for (const node of graph.node) {
      for (const attribute of node.attribute) {
        if (attribute.t) checkTensorData(attribute.t, dataFolder);
        if (attribute.g) visit(attribute.g);
        for (const subgraph of attribute.graphs ?? []) visit(subgraph);
      }
    }
  };
  visit(model.graph);
}

/** Bits per element of the fixed-size ONNX data types (TensorProto.DataType); strings have no fixed size. */
const ELEMENT_BITS: Readonly<Record<number, number>> = {
  1: 32, 2: 8, 3: 8, 4: 16, 5: 16, 6: 32, 7: 64, 9: 8, 10: 16, 11: 64, 12: 32, 13: 64, 14: 64, 15: 128, 16: 16,
  17: 8, 18: 8, 19: 8, 20: 8, 21: 4, 22: 4, 23: 4, 24: 8, 25: 2, 26: 2,
};

/** Types whose typed field (int32_data, float_data, int64_data, double_data) holds one entry per element. */
const INT32_FIELD_TYPES = new Set([2, 3, 4, 5, 6, 9, 10, 16, 17, 18, 19, 20, 24]);

/** The number of values the tensor's dims claim; each dim must be a whole number >= 0. */
export function claimedElementCount(tensor: OnnxTensor): number {
  let count = 1;
  for (const dim of tensor.dims) {
    const size = int64(dim);
    if (!Number.isSafeInteger(size) || size < 0) throw new TensorDataError(tensor, `has dimension ${size}: dims must be whole numbers >= 0`);
    count *= size;
  }
  return count;
}

function dimsText(tensor: OnnxTensor): string {
  return `${tensor.dims.map((d) => int64(d)).join(' × ') || 'scalar'}`;
}

/** Bytes a tensor of `count` elements takes in raw_data or external data; undefined for types without a fixed size. */
export function claimedByteLength(tensor: OnnxTensor, count = claimedElementCount(tensor)): number | undefined {
  const bits = ELEMENT_BITS[tensor.data_type];
  return bits === undefined ? undefined : Math.ceil((count * bits) / 8);
}

/**
 * Checks that the tensor holds as much data as its dims claim: raw_data of the right length, one typed-field entry
 * per value, or external data (see externalDataSlice) of the right length inside its file. Types iw has no rule
 * for (strings, values in uint64_data) are left to ONNX Runtime. `dataFolder` is where external data is read
 * from; without it external data is not looked at. Throws TensorDataError.
 */
export function checkTensorData(tensor: OnnxTensor, dataFolder: string | undefined): void {
  const count = claimedElementCount(tensor);
  const bytes = claimedByteLength(tensor, count);
  const claims = `claims dims ${dimsText(tensor)} (${count} values)`;
  if (tensor.data_location === 1) {
    if (dataFolder !== undefined) externalDataSlice(tensor, dataFolder);
    return;
  }
  const raw = tensor.raw_data?.length ?? 0;
  if (raw > 0) {
    if (bytes !== undefined && raw !== bytes) throw new TensorDataError(tensor, `${claims} but holds ${raw} bytes of raw_data, not ${bytes}`);
    return;
  }
  const typed = typedFieldLength(tensor);
  if (typed !== undefined && typed.length !== count) throw new TensorDataError(tensor, `${claims} but holds ${typed.length} in ${typed.field}`);
}

/** The typed field that holds the tensor's values and its length, for the types that keep one entry per value there. */
function typedFieldLength(tensor: OnnxTensor): { field: string; length: number } | undefined {
  switch (tensor.data_type) {
    case OnnxDataType.FLOAT: return { field: 'float_data', length: tensor.float_data.length };
    case OnnxDataType.DOUBLE: return { field: 'double_data', length: tensor.double_data.length };
    case OnnxDataType.INT64: return { field: 'int64_data', length: tensor.int64_data.length };
    default: return INT32_FIELD_TYPES.has(tensor.data_type) ? { field: 'int32_data', length: tensor.int32_data.length } : undefined;
  }
}

/** Where a tensor's external bytes are: a regular file inside the data folder, and the range in it. */
export interface ExternalDataSlice {
  /** The file's real path. */
  path: string;
  offset: number;
  length: number;
}

/**
 * The tensor's external data, checked against the file before anything is read or allocated: the location is a
 * relative path to a file inside `dataFolder` that iw may read (fileInsideFolder: a regular file, not a link), offset and length are whole numbers, the range lies within the file, and the length is what the
 * dims claim. Throws TensorDataError.
 */
export function externalDataSlice(tensor: OnnxTensor, dataFolder: string): ExternalDataSlice {
  const entry = (key: string) => tensor.external_data.find((e) => e.key === key)?.value;
  const location = entry('location');
  if (!location || isAbsolute(location) || normalize(location).startsWith('..')) {
    throw new TensorDataError(tensor, `has external data location ${JSON.stringify(location)}, which is not a file beside the model`);
  }
  const file = fileInsideFolder(join(dataFolder, location), dataFolder);
  if ('problem' in file) throw new TensorDataError(tensor, `keeps its data in ${file.problem}`);
  const { realPath: path, size } = file;
  const offset = wholeNumber(tensor, 'offset', entry('offset') ?? '0');
  const claimed = claimedByteLength(tensor);
  const lengthEntry = entry('length');
  const length = lengthEntry === undefined ? claimed : wholeNumber(tensor, 'length', lengthEntry);
  if (length === undefined) throw new TensorDataError(tensor, 'keeps data of no fixed size in an external file without a length');
  if (claimed !== undefined && length !== claimed) {
    throw new TensorDataError(tensor, `claims dims ${dimsText(tensor)} (${claimed} bytes) but its external data length is ${length}`);
  }
  if (offset + length > size) {
    throw new TensorDataError(tensor, `has external data at bytes ${offset}..${offset + length} of ${location}, which holds ${size} bytes`);
  }
  return { path, offset, length };
}

function wholeNumber(tensor: OnnxTensor, key: string, text: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) throw new TensorDataError(tensor, `has external data ${key} ${JSON.stringify(text)}, not a whole number`);
  return value;
}

/**
 * Reads a tensor's external data after externalDataSlice's checks, opening the file without following a link (a
 * link put in its place after the check is refused too) and checking its size again on the open descriptor.
 */
export function readExternalData(tensor: OnnxTensor, dataFolder: string): Uint8Array {
  const { path, offset, length } = externalDataSlice(tensor, dataFolder);
  const handle = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)); // path is the real path: a link now is planted
  try {
    const stats = fstatSync(handle);
    if (!stats.isFile() || offset + length > stats.size) throw new TensorDataError(tensor, `has external data that ${path} no longer holds (it changed while being read)`);
    const out = new Uint8Array(length);
    for (let done = 0; done < length;) {
      const read = readSync(handle, out, done, length - done, offset + done);
      if (read === 0) throw new TensorDataError(tensor, `has external data that ends early in ${path}`);
      done += read;
    }
    return out;
  } finally {
    closeSync(handle);
  }
}
