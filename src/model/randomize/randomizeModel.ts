import { UserError } from '../../util/index.js';
import { decodeOnnxModel } from '../onnx/readOnnxModel.js';
import { encodeModel, int64, OnnxDataType, type OnnxModel, type OnnxTensor } from '../onnx/onnxProto.js';
import { tensorToFloat32 } from '../onnx/tensorData.js';
import { float32ToHalf } from '../onnx/float16.js';
import { allInitializers } from './graphScopes.js';
import { classifyInitializers, elementCount, type ParameterRole } from './parameterRoles.js';
import { describeRule, initRecipe, type InitRule } from './initRecipe.js';
import { fillNormal, tensorRandom } from './normalDraws.js';
import { floatBytesPerElement, writeFloatValues } from './tensorValues.js';
import type { ExternalWrite, RandomizationSummary, RandomizedBytes, RandomizeOptions } from './types.js';

/**
 * A random-weight twin of one ONNX file: every parameter re-drawn the way the architecture initializes it
 * (see initRecipe.ts), every other byte as it was. The file's bytes are copied once and the new weights written
 * over the old ones in place (same sizes), so nothing but the weights can change, not even the encoding of
 * fields newer than iw's schema. Weights held in an external data file come back as writes for the caller.
 */
export function randomizeModelBytes(bytes: Uint8Array, options: RandomizeOptions): RandomizedBytes {
  return randomizeModelInPlace(new Uint8Array(bytes), options);
}

/** As randomizeModelBytes, but overwriting `buffer` itself (for a buffer just read from disk). */
export function randomizeModelInPlace(buffer: Uint8Array, options: RandomizeOptions): RandomizedBytes {
  const fileLabel = options.fileLabel ?? 'the ONNX file';
  const model = decodeOnnxModel(buffer, fileLabel, options.modelDir);
  const readValues = (tensor: OnnxTensor) => tensorToFloat32(tensor, options.modelDir ?? externalDataMissing(tensor, fileLabel));
  const roles = classifyInitializers(model, { fileLabel, values: readValues });
  const recipe = initRecipe(options.config, options.configLabel ?? 'config.json');
  recipe.checkRoles(roles.parameters, fileLabel);
  const ties = findTiedHeads(model, roles.parameters, readValues);
  const tensorsByName = groupByName(allInitializers(model));
  const summary: RandomizationSummary = {
    architecture: recipe.architecture,
    seed: options.seed,
    initializerRange: recipe.initializerRange,
    method: recipe.method,
    tensors: [],
    kept: roles.constants,
  };
  const drawn = new Map<string, Float32Array>();
  const externalWrites: ExternalWrite[] = [];
  let reencode = false;
  const tensorsOf = (name: string): OnnxTensor[] => {
    const tensors = tensorsByName.get(name);
    if (!tensors) throw new Error(`${fileLabel}: no initializer is named ${name}, yet it was given a role`);
    return tensors;
  };
  const order = [...roles.parameters].sort(([a], [b]) => Number(ties.has(a)) - Number(ties.has(b))); // tied heads after their source
  const total = order.reduce((n, [name]) => n + elementCount(tensorsOf(name)[0]), 0);
  let done = 0;
  for (const [name, role] of order) {
    const tensors = tensorsOf(name);
    const tie = ties.get(name);
    const values = tie ? tiedValues(drawnSource(drawn, tie), tensors[0], tie.transposed) : draw(tensors[0], recipe.ruleFor(role), options.seed);
    if (!tie && role === 'token-embedding') drawn.set(name, values);
    for (const tensor of tensors) {
      const written = storeValues(tensor, values, buffer);
      if (written === 'external') externalWrites.push(externalWrite(tensor, values));
      if (written === 'fields') reencode = true;
    }
    summary.tensors.push({
      name,
      role: tie ? 'tied-output' : role,
      init: tie ? `tied to ${tie.source}${tie.transposed ? ' (transposed)' : ''}` : describeRule(recipe.ruleFor(role)),
      elements: values.length,
    });
    done += values.length;
    options.onProgress?.(done, total);
  }
  const externalFiles = [...new Set(allInitializers(model).filter((t) => t.data_location === 1).map((t) => externalLocation(t)))];
  return { bytes: reencode ? encodeModel(model) : buffer, summary, externalWrites, externalFiles };
}

function externalDataMissing(tensor: OnnxTensor, fileLabel: string): string {
  if (tensor.data_location === 1) throw new UserError(`${fileLabel} keeps ${tensor.name} in an external data file: give the model's folder (modelDir) to read it`);
  return '.';
}

function draw(tensor: OnnxTensor, rule: InitRule, seed: number): Float32Array {
  const values = new Float32Array(elementCount(tensor));
  if (rule.kind === 'fill') return values.fill(rule.value);
  fillNormal(values, rule.std, tensorRandom(seed, tensor.name));
  const dims = tensor.dims.map((d) => int64(d));
  if (rule.zeroRow !== undefined && dims.length === 2 && rule.zeroRow >= 0 && rule.zeroRow < dims[0]) {
    values.fill(0, rule.zeroRow * dims[1], (rule.zeroRow + 1) * dims[1]);
  }
  return values;
}

interface Tie {
  source: string;
  transposed: boolean;
}

/** The values drawn for a tie's source (drawn first: tied heads come after their source). */
function drawnSource(drawn: ReadonlyMap<string, Float32Array>, tie: Tie): Float32Array {
  const values = drawn.get(tie.source);
  if (!values) throw new Error(`${tie.source} is tied to, but was not drawn before its tied head`);
  return values;
}

/**
 * Output heads tied to the token embedding (GPT-2's lm_head is wte; exporters store it again, often transposed):
 * a matrix whose values equal the embedding's, or its transpose's, exactly. A twin keeps the tie, as the
 * architecture's own initialisation does.
 */
function findTiedHeads(model: OnnxModel, roles: Map<string, ParameterRole>, readValues: (t: OnnxTensor) => Float32Array): Map<string, Tie> {
  const ties = new Map<string, Tie>();
  const tensors = new Map(allInitializers(model).map((t) => [t.name, t]));
  const embeddingName = [...roles].find(([, role]) => role === 'token-embedding')?.[0];
  if (!embeddingName) return ties;
  const embedding = tensors.get(embeddingName);
  if (!embedding) return ties;
  const [rows, columns] = embedding.dims.map((d) => int64(d));
  if (embedding.dims.length !== 2) return ties;
  let embeddingValues: Float32Array | undefined;
  for (const [name, role] of roles) {
    if (role !== 'matrix') continue;
    const head = tensors.get(name);
    if (!head) continue;
    const dims = head.dims.map((d) => int64(d));
    if (dims.length !== 2) continue;
    const sameShape = dims[0] === rows && dims[1] === columns;
    const transposedShape = dims[0] === columns && dims[1] === rows;
    if (!sameShape && !transposedShape) continue;
    embeddingValues ??= readValues(embedding);
    const headValues = readValues(head);
    if (sameShape && equalValues(headValues, embeddingValues)) ties.set(name, { source: embeddingName, transposed: false });
    else if (transposedShape && equalTransposed(headValues, embeddingValues, rows, columns)) ties.set(name, { source: embeddingName, transposed: true });
  }
  return ties;
}

function equalValues(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** head[c][r] === embedding[r][c] for an embedding of rows × columns. */
function equalTransposed(head: Float32Array, embedding: Float32Array, rows: number, columns: number): boolean {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) if (head[c * rows + r] !== embedding[r * columns + c]) return false;
  }
  return true;
}

function tiedValues(source: Float32Array, head: OnnxTensor, transposed: boolean): Float32Array {
  if (!transposed) return source.slice();
  const [columns, rows] = head.dims.map((d) => int64(d)); // head is columns × rows of the source's rows × columns
  const out = new Float32Array(source.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) out[c * rows + r] = source[r * columns + c];
  return out;
}

/**
 * Puts the values where the tensor keeps its own: over its raw bytes (in place when they are a view of
 * `buffer`), in its typed field (the file is then re-encoded), or in its external data file (left to the caller).
 */
function storeValues(tensor: OnnxTensor, values: Float32Array, buffer: Uint8Array): 'in-place' | 'fields' | 'external' {
  if (tensor.data_location === 1) return 'external';
  const raw = tensor.raw_data;
  if (raw && raw.length > 0) {
    writeFloatValues(raw, tensor.data_type, values);
    return raw.buffer === buffer.buffer ? 'in-place' : 'fields';
  }
  if (tensor.data_type === OnnxDataType.FLOAT) tensor.float_data = Array.from(values);
  else if (tensor.data_type === OnnxDataType.DOUBLE) tensor.double_data = Array.from(values);
  else tensor.int32_data = Array.from(tensor.data_type === OnnxDataType.FLOAT16 ? float32ToHalf(values) : bfloat16Bits(values));
  return 'fields';
}

function bfloat16Bits(values: Float32Array): Uint16Array {
  const bytes = new Uint8Array(values.length * 2);
  writeFloatValues(bytes, OnnxDataType.BFLOAT16, values);
  return new Uint16Array(bytes.buffer);
}

function externalWrite(tensor: OnnxTensor, values: Float32Array): ExternalWrite {
  const offset = tensor.external_data.find((e) => e.key === 'offset')?.value;
  const bytes = new Uint8Array(values.length * floatBytesPerElement(tensor.data_type));
  writeFloatValues(bytes, tensor.data_type, values);
  return { tensor: tensor.name, location: externalLocation(tensor), offset: Number(offset ?? 0), bytes };
}

function externalLocation(tensor: OnnxTensor): string {
  return tensor.external_data.find((e) => e.key === 'location')?.value ?? '';
}

function groupByName(tensors: readonly OnnxTensor[]): Map<string, OnnxTensor[]> {
  const byName = new Map<string, OnnxTensor[]>();
  for (const tensor of tensors) byName.set(tensor.name, [...(byName.get(tensor.name) ?? []), tensor]);
  return byName;
}
