import type { LayerTap } from '../types.js';
import type { GraphIndex } from '../onnx/graphIndex.js';
import type { NormMatch } from './normPatterns.js';
import { normsAhead, reachesAttention, residualAddAhead, widthProjection } from './residualStream.js';

export interface PostNormOptions {
  width: number;
  expectedBlocks?: number;
  /** Throws a UserError saying what was found (the caller's message, naming the file). */
  refuse: (found: string) => never;
}

/** Whether a norm's output is itself added to and normalised again: the mark of a post-LayerNorm model. */
export function continuesAfterNorm(index: GraphIndex, norm: NormMatch, normsByInput: Map<string, NormMatch[]>): boolean {
  const add = residualAddAhead(index, norm.output);
  return add !== undefined && normsAhead(index, add.output[0], normsByInput).length > 0;
}

/**
 * The layers of a post-LayerNorm model (BERT, RoBERTa and their kin; OPT-350m), in the Hugging Face
 * hidden_states convention: layer 0 = `start` (BERT: the embeddings' LayerNorm output; OPT-350m: the embedding
 * sum that enters block 0), layer i = the output of block i's second LayerNorm.
 *
 * In such a block the residual stream is the output of a normalisation, not its input:
 *   a = LayerNorm(h + Attention(h)),   h' = LayerNorm(a + FFN(a)),
 * so the stream is followed from `start` through each residual Add (an Add taking the stream and a computed term,
 * seen through reshapes) and the norm that takes that sum. A step whose computed term comes from attention
 * (Softmax or a fused attention op) opens a block; a block's output is the stream tensor where the next block
 * opens, and the last block's output is the last tensor of the stream. There is no final norm of its own; where a
 * projection to another width follows the last block (OPT-350m's project_out), transformers' last hidden state is
 * its output, and so is iw's last layer (at that width).
 */
export function discoverPostNormTaps(
  index: GraphIndex,
  start: string,
  normsByInput: Map<string, NormMatch[]>,
  options: PostNormOptions,
): LayerTap[] {
  const stream = [start];
  const opensBlock: boolean[] = [];
  for (;;) {
    const current = stream[stream.length - 1];
    const add = residualAddAhead(index, current);
    if (!add) break;
    const norm = normsAhead(index, add.output[0], normsByInput)[0];
    if (!norm || stream.includes(norm.output)) break;
    opensBlock.push(reachesAttention(index, current, new Set([add.output[0]])));
    stream.push(norm.output);
  }
  if (!opensBlock[0]) options.refuse(`a post-LayerNorm stream whose first step is not attention (it starts at ${start})`);
  const blockStarts = opensBlock.flatMap((opens, step) => (opens ? [step] : []));
  if (options.expectedBlocks !== undefined && blockStarts.length !== options.expectedBlocks) {
    options.refuse(`${blockStarts.length} post-LayerNorm blocks, but its config declares ${options.expectedBlocks}`);
  }
  const lastOutput = stream[stream.length - 1];
  const blockOutputs = [...blockStarts.slice(1).map((step) => stream[step]), lastOutput];
  const projectOut = widthProjection(index, lastOutput);
  const taps: LayerTap[] = [
    { layer: 0, tensor: stream[0], width: options.width, role: 'embedding' },
    ...blockOutputs.map((tensor, i): LayerTap => ({ layer: i + 1, tensor, width: options.width, role: 'block' })),
  ];
  if (projectOut) taps[taps.length - 1] = { ...taps[taps.length - 1], tensor: projectOut.output, width: projectOut.width };
  return taps;
}
