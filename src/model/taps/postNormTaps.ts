import type { LayerTap } from '../types.js';
import type { OnnxNode } from '../onnx/onnxProto.js';
import { consumersOf, isConstant, otherInput, type GraphIndex } from '../onnx/graphIndex.js';
import type { NormMatch } from './normPatterns.js';
import { normsOf, reachesAttention } from './tapDiscovery.js';

export interface PostNormOptions {
  width: number;
  expectedBlocks?: number;
  /** Throws a UserError saying what was found (the caller's message, naming the file). */
  refuse: (found: string) => never;
}

/** Whether the embeddings' norm output is itself added to and normalised again: the mark of a post-LN encoder. */
export function continuesAfterNorm(index: GraphIndex, embeddingNorm: NormMatch, normsByInput: Map<string, NormMatch[]>): boolean {
  const add = residualAdd(index, embeddingNorm.output);
  return add !== undefined && normsOf(index, add.output[0], normsByInput).length > 0;
}

/**
 * The layers of a post-LayerNorm encoder (BERT, RoBERTa and their kin), in the Hugging Face hidden_states
 * convention: layer 0 = the embeddings' LayerNorm output, layer i = the output of block i's second LayerNorm.
 *
 * In such a block the residual stream is the output of a normalisation, not its input:
 *   a = LayerNorm(h + Attention(h)),   h' = LayerNorm(a + FFN(a)),
 * so the stream is followed from the embeddings' norm output through each residual Add (an Add taking the stream
 * and a computed term) and the norm that takes that sum. A step whose computed term comes from attention
 * (Softmax or a fused attention op) opens a block; a block's output is the stream tensor where the next block
 * opens, and the last block's output is the last tensor of the stream. There is no final norm of its own.
 */
export function discoverPostNormTaps(
  index: GraphIndex,
  embeddingNorm: NormMatch,
  normsByInput: Map<string, NormMatch[]>,
  options: PostNormOptions,
): LayerTap[] {
  const stream = [embeddingNorm.output];
  const opensBlock: boolean[] = [];
  for (;;) {
    const current = stream[stream.length - 1];
    const add = residualAdd(index, current);
    if (!add) break;
    const norm = normsOf(index, add.output[0], normsByInput)[0];
    if (!norm || stream.includes(norm.output)) break;
    opensBlock.push(reachesAttention(index, current, new Set([add.output[0]])));
    stream.push(norm.output);
  }
  if (!opensBlock[0]) options.refuse('a post-LayerNorm stream whose first step is not attention');
  const blockStarts = opensBlock.flatMap((opens, step) => (opens ? [step] : []));
  if (options.expectedBlocks !== undefined && blockStarts.length !== options.expectedBlocks) {
    options.refuse(`${blockStarts.length} post-LayerNorm blocks, but its config declares ${options.expectedBlocks}`);
  }
  const blockOutputs = [...blockStarts.slice(1).map((step) => stream[step]), stream[stream.length - 1]];
  return [
    { layer: 0, tensor: stream[0], width: options.width, role: 'embedding' },
    ...blockOutputs.map((tensor, i): LayerTap => ({ layer: i + 1, tensor, width: options.width, role: 'block' })),
  ];
}

/** The Add that takes `tensor` and a computed (non-constant) term: a residual add. */
function residualAdd(index: GraphIndex, tensor: string): OnnxNode | undefined {
  return consumersOf(index, tensor).find((n) => n.op_type === 'Add' && !isConstant(index, otherInput(n, tensor) ?? tensor));
}
