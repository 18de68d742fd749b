import type { LayerTap } from '../types.js';
import type { OnnxNode } from '../onnx/onnxProto.js';
import { consumersOf, type GraphIndex } from '../onnx/graphIndex.js';
import { embeddingShape, embeddingWidth, findEmbedLayerNormalization, findEmbeddingGather } from '../onnx/embeddingLookup.js';
import { SKIP_NORMS } from './normPatterns.js';
import { ATTENTION_OPS, reachesForward } from './residualStream.js';

/** What fused-graph discovery needs from its caller. */
export interface FusedTapOptions {
  inputIds: string;
  width?: number;
  expectedBlocks?: number;
  /** Throws a UserError saying what was found (the caller's message, naming the file). */
  refuse: (found: string) => never;
}

/** Whether a graph's residual stream runs through ORT's fused Skip*LayerNormalization nodes. */
export function isFusedGraph(index: GraphIndex): boolean {
  return index.graph.node.some((n) => SKIP_NORMS.has(n.op_type));
}

/**
 * The layers of a graph fused by ONNX Runtime's transformer optimizer or onnxruntime-genai's model builder, in the
 * Hugging Face hidden_states convention. There the residual adds live inside the norms:
 * SkipLayerNormalization / SkipSimplifiedLayerNormalization(input, skip) returns the normalised sum as output 0 and
 * the sum itself (the residual stream) as output 3; EmbedLayerNormalization returns the embedding sum as output 2.
 *
 * - layer 0: the raw embedding: EmbedLayerNormalization's output 2, else the Gather of the token ids;
 * - layer k (1 ≤ k < last): output 3 of the Skip node whose output 0 opens block k's attention (the stream after
 *   block k − 1 plus its MLP); the other Skip nodes' output 3 are mid-block residuals, not layers;
 * - last layer: output 0 of the final Skip node (the final norm, the one that feeds the LM head).
 *
 * Found by following the stream from the embedding through the Skip node that takes it (as input or skip), then
 * that node's output 3, and so on; no tensor names are assumed. (Measured on the builder stand-ins in
 * ../shared/models/families: equal to transformers' hidden states to 1e-6.)
 */
export function discoverFusedTaps(index: GraphIndex, options: FusedTapOptions): LayerTap[] {
  const { start, width: lookedUpWidth } = embeddingOutput(index, options);
  const width = options.width ?? lookedUpWidth;
  if (width === undefined) options.refuse('no width: the config gives no hidden size and the embedding matrix is not readable');
  const blockOutputs: string[] = [];
  let stream = start;
  for (let steps = 0; steps < 10_000; steps++) {
    const skip = skipTaking(index, stream, options);
    const sum = skip.output[3];
    const final = !sum;
    if (final) {
      if (opensAttention(index, skip.output[0])) options.refuse(`the last ${skip.op_type} (${skip.name}) opens attention: no final norm`);
      const blocks = blockOutputs.length + 1;
      if (options.expectedBlocks !== undefined && blocks !== options.expectedBlocks) {
        options.refuse(`${blocks} fused blocks, but its config declares ${options.expectedBlocks}`);
      }
      return [
        { layer: 0, tensor: start, width, role: 'embedding' },
        ...blockOutputs.map((tensor, i): LayerTap => ({ layer: i + 1, tensor, width, role: 'block' })),
        { layer: blocks, tensor: skip.output[0], width, role: 'final-norm' },
      ];
    }
    if (opensAttention(index, skip.output[0])) blockOutputs.push(sum);
    stream = sum;
  }
  return options.refuse('a residual stream of fused norms that does not end');
}

/** Layer 0's tensor: EmbedLayerNormalization's embedding sum (output 2), or the token embedding Gather's output. */
function embeddingOutput(index: GraphIndex, options: FusedTapOptions): { start: string; width?: number } {
  const fused = findEmbedLayerNormalization(index, options.inputIds);
  if (fused) {
    if (!fused.gather.output[2]) options.refuse(`${fused.gather.name} does not return its embedding sum (output 2)`);
    return { start: fused.gather.output[2], width: embeddingShape(fused)?.[1] };
  }
  const gather = findEmbeddingGather(index, options.inputIds);
  if (!gather) options.refuse(`no token embedding (no EmbedLayerNormalization and no Gather of ${options.inputIds})`);
  return { start: gather.output[0], width: embeddingWidth(index, gather) };
}

/** The one Skip node that adds `stream` (as its input or its skip). */
function skipTaking(index: GraphIndex, stream: string, options: FusedTapOptions): OnnxNode {
  const skips = consumersOf(index, stream).filter((n) => SKIP_NORMS.has(n.op_type) && (n.input[0] === stream || n.input[1] === stream));
  if (skips.length !== 1) {
    options.refuse(`${skips.length === 0 ? 'no' : String(skips.length)} SkipLayerNormalization nodes adding the residual stream tensor ${stream}`);
  }
  return skips[0];
}

/** Whether attention is computed from a norm's output before the next fused norm (the next residual add). */
function opensAttention(index: GraphIndex, start: string): boolean {
  return reachesForward(index, start, (node) => ATTENTION_OPS.has(node.op_type), (node) => !SKIP_NORMS.has(node.op_type));
}
