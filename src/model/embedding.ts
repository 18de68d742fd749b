import { basename } from 'node:path';
import { UserError } from '../util/index.js';
import type { EmbeddingMatrix, ResolvedModel } from './types.js';
import type { OnnxGraph, OnnxModel } from './onnx/onnxProto.js';
import { readOnnxModel } from './onnx/readOnnxModel.js';
import { indexGraph } from './onnx/graphIndex.js';
import { embeddingShape, embeddingSource, findEmbedLayerNormalization, findEmbeddingGather, type EmbeddingSource } from './onnx/embeddingLookup.js';
import { tensorToFloat32 } from './onnx/tensorData.js';
import { INPUT_IDS } from './taps/tapPlan.js';

/**
 * The input-embedding matrix E[token][unit] as float32, read from the ONNX file's weights (found by
 * structure: the matrix the Gather of input_ids reads, or ONNX Runtime's fused EmbedLayerNormalization), dequantized when the file stores it in 8 bits.
 */
export async function readEmbeddingMatrix(resolved: ResolvedModel): Promise<EmbeddingMatrix> {
  const file = resolved.onnxPath;
  const { model, dataFolder } = await readOnnxModel(file);
  const source = locateEmbedding(model);
  const shape = source && embeddingShape(source);
  if (!source || !shape) {
    throw new UserError(`${basename(file)}: cannot read its token embedding matrix (looked for an initializer, or a DequantizeLinear of one, gathered by ${INPUT_IDS}); a 4-bit export packs it: try --dtype fp32, fp16 or q8`);
  }
  const [vocabularySize, width] = shape;
  const values = tensorToFloat32(source.matrix, dataFolder);
  if (source.dequantize) dequantizeInPlace(values, source.dequantize, shape, dataFolder);
  return { vocabularySize, width, values };
}

/** In the main graph, or inside the If branches of a merged decoder (whose weights live in the main graph). */
function locateEmbedding(model: OnnxModel): EmbeddingSource | undefined {
  const graphs: Array<[OnnxGraph, OnnxGraph | undefined]> = [[model.graph, undefined]];
  for (const node of model.graph.node) for (const a of node.attribute) if (a.g) graphs.push([a.g, model.graph]);
  for (const [graph, outer] of graphs) {
    const index = indexGraph(graph, outer?.initializer ?? []);
    const gather = findEmbeddingGather(index, INPUT_IDS);
    if (gather) return embeddingSource(index, gather);
    const fused = findEmbedLayerNormalization(index, INPUT_IDS);
    if (fused) return fused;
  }
  return undefined;
}

/** value = (q − zeroPoint) × scale, with scale and zero point per tensor or per row/column (axis). */
function dequantizeInPlace(
  values: Float32Array,
  { scale, zeroPoint, axis }: NonNullable<EmbeddingSource['dequantize']>,
  [rows, columns]: [number, number],
  modelDir: string,
): void {
  const scales = tensorToFloat32(scale, modelDir);
  const zeros = zeroPoint ? tensorToFloat32(zeroPoint, modelDir) : new Float32Array(scales.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const k = scales.length === 1 ? 0 : axis === 0 ? r : c;
      const i = r * columns + c;
      values[i] = (values[i] - zeros[k]) * scales[k];
    }
  }
}
