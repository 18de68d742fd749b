import type { OnnxNode, OnnxTensor } from './onnxProto.js';
import type { GraphIndex } from './graphIndex.js';
import { int64 } from './onnxProto.js';

/**
 * The token embedding, found by structure: the Gather whose indices are the token ids, and the stored
 * matrix it gathers from — an initializer, possibly behind a DequantizeLinear (8-bit exports) or a Cast.
 */
export interface EmbeddingSource {
  gather: OnnxNode;
  matrix: OnnxTensor;
  /** Present when the stored matrix is quantized: value = (q − zeroPoint) × scale. */
  dequantize?: { scale: OnnxTensor; zeroPoint?: OnnxTensor; axis: number };
}

export function findEmbeddingGather(index: GraphIndex, inputIds: string): OnnxNode | undefined {
  return index.graph.node.find((n) => n.op_type.startsWith('Gather') && n.input[1] === inputIds);
}

export function embeddingSource(index: GraphIndex, gather: OnnxNode): EmbeddingSource | undefined {
  if (gather.op_type !== 'Gather') return undefined; // GatherBlockQuantized (4-bit) packs its matrix
  const data = gather.input[0];
  const stored = index.initializers.get(data);
  if (stored) return { gather, matrix: stored };
  const producer = index.producer.get(data);
  if (!producer) return undefined;
  const input = index.initializers.get(producer.input[0]);
  if (!input) return undefined;
  if (producer.op_type === 'Cast') return { gather, matrix: input };
  if (producer.op_type !== 'DequantizeLinear') return undefined;
  const scale = index.initializers.get(producer.input[1]);
  if (!scale) return undefined;
  const zeroPoint = producer.input[2] ? index.initializers.get(producer.input[2]) : undefined;
  const axisAttribute = producer.attribute.find((a) => a.name === 'axis');
  return { gather, matrix: input, dequantize: { scale, zeroPoint, axis: axisAttribute ? int64(axisAttribute.i) : 1 } };
}

/** [vocabulary, width] of the embedding matrix, when its source is readable. */
export function embeddingShape(source: EmbeddingSource): [number, number] | undefined {
  const dims = source.matrix.dims.map((d) => int64(d));
  return dims.length === 2 ? [dims[0], dims[1]] : undefined;
}
