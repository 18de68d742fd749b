import type { OnnxNode, OnnxTensor } from './onnxProto.js';
import { consumersOf, type GraphIndex } from './graphIndex.js';
import { int64 } from './onnxProto.js';

/**
 * The token embedding, found by structure: the Gather whose indices are the token ids, and the stored
 * matrix it gathers from — an initializer, possibly behind a DequantizeLinear or a Cast, or gathered as 8-bit
 * codes that a DequantizeLinear after the Gather turns into numbers (onnxruntime's quantize_dynamic, the q8 /
 * int8 / uint8 files of transformers.js repos).
 */
export interface EmbeddingSource {
  gather: OnnxNode;
  matrix: OnnxTensor;
  /** Present when the stored matrix is quantized: value = (q − zeroPoint) × scale. */
  dequantize?: { scale: OnnxTensor; zeroPoint?: OnnxTensor; axis: number };
}

/**
 * The Gather whose indices are the token ids: input_ids itself, or input_ids reshaped, unsqueezed or cast first
 * (OPT flattens input_ids to [batch × sequence] before its lookup).
 */
export function findEmbeddingGather(index: GraphIndex, inputIds: string): OnnxNode | undefined {
  const tokenIds = tokenIdTensors(index, inputIds);
  return index.graph.node.find((n) => n.op_type.startsWith('Gather') && tokenIds.has(n.input[1]));
}

const ID_CARRYING_OPS = new Set(['Reshape', 'Unsqueeze', 'Squeeze', 'Flatten', 'Cast', 'Identity']);

/** input_ids and the tensors that hold the same ids in another shape or integer type. */
function tokenIdTensors(index: GraphIndex, inputIds: string): Set<string> {
  const ids = new Set([inputIds]);
  for (const tensor of ids) {
    for (const node of index.consumers.get(tensor) ?? []) {
      if (ID_CARRYING_OPS.has(node.op_type) && node.input[0] === tensor) ids.add(node.output[0]);
    }
  }
  return ids;
}

export function embeddingSource(index: GraphIndex, gather: OnnxNode): EmbeddingSource | undefined {
  if (gather.op_type !== 'Gather') return undefined; // GatherBlockQuantized (4-bit) packs its matrix
  const data = gather.input[0];
  const stored = index.initializers.get(data);
  if (stored) return { gather, matrix: stored, ...dequantizedAfterGather(index, gather) };
  const producer = index.producer.get(data);
  if (!producer) return undefined;
  const input = index.initializers.get(producer.input[0]);
  if (!input) return undefined;
  if (producer.op_type === 'Cast') return { gather, matrix: input };
  if (producer.op_type !== 'DequantizeLinear') return undefined;
  const scale = index.initializers.get(producer.input[1]);
  if (!scale) return undefined;
  const zeroPoint = producer.input[2] ? index.initializers.get(producer.input[2]) : undefined;
  return { gather, matrix: input, dequantize: { scale, zeroPoint, axis: axisOf(producer) } };
}

/**
 * Gather(8-bit table, ids) → DequantizeLinear: the scale and zero point, as if they dequantized the table itself.
 * A per-tensor scale is the same either way; a per-axis one must run along the gathered rows' last axis (the
 * table's columns). Nothing when the gathered codes are not dequantized so, which leaves them read as they are.
 */
function dequantizedAfterGather(index: GraphIndex, gather: OnnxNode): Pick<EmbeddingSource, 'dequantize'> {
  const users = consumersOf(index, gather.output[0]);
  const dequantize = users.length === 1 && users[0].op_type === 'DequantizeLinear' ? users[0] : undefined;
  const scale = dequantize && index.initializers.get(dequantize.input[1]);
  if (!dequantize || !scale) return {};
  const zeroPoint = dequantize.input[2] ? index.initializers.get(dequantize.input[2]) : undefined;
  const perTensor = scale.dims.every((d) => int64(d) === 1);
  const axis = axisOf(dequantize);
  if (!perTensor && axis !== -1 && axis !== 2) return {};
  return { dequantize: { scale, zeroPoint, axis: 1 } };
}

function axisOf(node: OnnxNode): number {
  const attribute = node.attribute.find((a) => a.name === 'axis');
  return attribute ? int64(attribute.i) : 1;
}

/** [vocabulary, width] of the embedding matrix, when its source is readable. */
export function embeddingShape(source: EmbeddingSource): [number, number] | undefined {
  const dims = source.matrix.dims.map((d) => int64(d));
  return dims.length === 2 ? [dims[0], dims[1]] : undefined;
}

/** The width of the embedding an embedding Gather looks up, when its matrix can be found and read. */
export function embeddingWidth(index: GraphIndex, gather: OnnxNode): number | undefined {
  const source = embeddingSource(index, gather);
  return source ? embeddingShape(source)?.[1] : undefined;
}

/**
 * ONNX Runtime's fused embedding (EmbedLayerNormalization: word + position embedding, then the first LayerNorm) whose
 * token ids are input_ids (cast to int32 first by ORT's GPT-2 optimizer), and its word embedding matrix (input 2).
 */
export function findEmbedLayerNormalization(index: GraphIndex, inputIds: string): EmbeddingSource | undefined {
  const tokenIds = tokenIdTensors(index, inputIds);
  const node = index.graph.node.find((n) => n.op_type === 'EmbedLayerNormalization' && tokenIds.has(n.input[0]));
  const matrix = node && index.initializers.get(node.input[2]);
  return node && matrix ? { gather: node, matrix } : undefined;
}
