import { UserError } from '../../util/index.js';
import { readOnnxWithoutWeights, type OnnxStructure } from './onnxFile.js';
import { decodeModel, type OnnxModel } from './onnxProto.js';
import { checkModelTensors, TensorDataError } from './tensorSize.js';

/**
 * Reads and decodes an ONNX file's structure, its large weights left in the file as external-data references
 * to themselves (onnxFile.ts): `bytes` is what a session is created from (external data read from
 * `dataFolder`), `model` its decoded form. Refuses
 * (UserError, exit 2) a file that is not a readable ONNX model: random bytes, a file cut short by an
 * interrupted download or copy, or a model without a graph. Every command that opens a model goes through here,
 * so a damaged file is one line naming it, never a protobuf stack trace.
 */
export async function readOnnxModel(file: string): Promise<OnnxStructure & { model: OnnxModel }> {
  let structure: OnnxStructure;
  try {
    structure = readOnnxWithoutWeights(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined) throw new UserError(`cannot read ${file}: ${code}`);
    throw notOnnx(file, `${firstLine((error as Error).message)}; the file may be damaged or cut short, e.g. by an interrupted download`);
  }
  return { ...structure, model: decodeOnnxModel(structure.bytes, file, structure.dataFolder) };
}

/**
 * decodeModel, with a damaged file refused as above; `file` names it in the message. Every stored tensor is then
 * checked against the data it holds (checkModelTensors; external data in `dataFolder`, when given), so that a
 * crafted file is refused before anything is sized from its dims.
 */
export function decodeOnnxModel(bytes: Uint8Array, file: string, dataFolder?: string): OnnxModel {
  let model: OnnxModel;
  try {
    model = decodeModel(bytes);
  } catch (error) {
    throw notOnnx(file, `${firstLine((error as Error).message)}; the file may be damaged or cut short, e.g. by an interrupted download`);
  }
  if (!model.graph || !(model.graph.node?.length > 0)) throw notOnnx(file, 'it holds no graph of nodes');
  try {
    checkModelTensors(model, dataFolder);
  } catch (error) {
    if (error instanceof TensorDataError) throw new UserError(`${file}: ${error.message}; the file is damaged or was not made by an ONNX exporter`);
    throw error;
  }
  return model;
}

function notOnnx(file: string, reason: string): UserError {
  return new UserError(`${file} is not a readable ONNX model (${reason}); replace it with a good copy`);
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}
