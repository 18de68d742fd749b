import { UserError } from '../../util/index.js';
import type { LayerTap } from '../types.js';
import type { GraphIndex } from '../onnx/graphIndex.js';
import { findNorms, type NormMatch } from './normPatterns.js';
import { embeddingWidth, findEmbeddingGather } from '../onnx/embeddingLookup.js';
import { continuesAfterNorm, discoverPostNormTaps } from './postNormTaps.js';
import { groupNormsByInput, nextOnStream, normsAhead, normsOf, reachesAttention, reachesForward, widthProjection } from './residualStream.js';
import { closestEmbedding, closestNorm, streamEnd } from './discoveryHints.js';

export interface TapDiscoveryOptions {
  /** Name of the token-ids input (graph input, or an outer-scope name inside a subgraph). */
  inputIds: string;
  /** Units of the residual stream (from the config); else read from the embedding matrix. */
  width?: number;
  /** Blocks the config declares, when it says; a different count found is refused. */
  expectedBlocks?: number;
  /** For messages: which file. */
  fileLabel: string;
}

const LOOKED_FOR =
  'a Gather of input_ids (token embedding), then along the residual stream normalisations (LayerNormalization, ' +
  'or ReduceMean-based LayerNorm/RMSNorm) that open attention blocks, then a final normalisation (or, in a ' +
  'post-LayerNorm model, a normalisation after every residual add)';

/** A stream tensor and the norms that read it. */
interface Normalised {
  tensor: string;
  norms: NormMatch[];
}

/**
 * Finds the residual stream of a decoder graph from its structure, in the Hugging Face hidden_states
 * convention: layer i (i < L) = the input of block i's first normalisation (layer 0 = the embedding output,
 * positions included), layer L = the output of the final normalisation.
 *
 * How: start at the token embedding (the Gather of input_ids, seen through a reshape of the ids) and follow the
 * residual stream forward, through each Add that takes it (position embeddings, then each sub-block's residual
 * add) and through the ops that carry it unchanged (casts, reshapes, dequantization, a scaling by a constant;
 * residualStream.ts). Along it, a tensor that feeds a normalisation whose output reaches attention (Softmax or a
 * fused attention op) before the stream's next step is a block's input; the last normalised tensor, whose norm
 * does not reach attention, is the input of the final norm. Norms off the stream (Gemma 2's post-attention and
 * post-feedforward norms, which normalise a sub-block's output before its residual add) are not on the walk and
 * so change nothing. No tensor names are assumed, so an export made by anyone works alike.
 *
 * Three layouts start differently and are told apart by structure:
 * - a norm on the embedding output whose output is normalised again before attention (BLOOM's
 *   word_embeddings_layernorm): layer 0 is that norm's output, and the walk starts there;
 * - a projection of the embedding lookup to another width (OPT-350m's project_in): the walk starts after it;
 * - post-LayerNorm models (BERT, RoBERTa, OPT-350m), whose stream is the output of each norm rather than its
 *   input, recognised where a normalised sum's norm output is itself added to: handed to postNormTaps.ts.
 */
export function discoverTaps(index: GraphIndex, options: TapDiscoveryOptions): LayerTap[] {
  const embedding = findEmbeddingGather(index, options.inputIds);
  if (!embedding) refuse(options, `no token embedding (no Gather of ${options.inputIds}; ${closestEmbedding(index, options.inputIds)})`);
  const normsByInput = groupNormsByInput(findNorms(index));
  const projectIn = widthProjection(index, embedding.output[0]);
  const width = options.width ?? projectIn?.width ?? embeddingWidth(index, embedding);
  if (width === undefined) refuse(options, 'no width: the config gives no hidden size and the embedding matrix is not readable');
  let stream = residualStream(index, projectIn?.output ?? embedding.output[0]);
  let normalised = normalisedTensors(index, stream, normsByInput);
  if (normalised.length === 0) refuse(options, `no normalisation on the residual stream (${streamEnd(index, stream)}; ${closestNorm(index, normsByInput)})`);
  const embeddingNorm = normalised[0].norms[0];
  if (normalised.length === 1 && normsAhead(index, embeddingNorm.output, normsByInput).length > 0) {
    stream = residualStream(index, embeddingNorm.output);
    normalised = normalisedTensors(index, stream, normsByInput);
  } else if (normalised.length === 1 && continuesAfterNorm(index, embeddingNorm, normsByInput)) {
    const start = postNormStart(index, stream, normalised[0].tensor) ?? embeddingNorm.output;
    return discoverPostNormTaps(index, start, normsByInput, { width, expectedBlocks: options.expectedBlocks, refuse: (found) => refuse(options, found) });
  }
  return preNormTaps(index, stream, normalised, width, options);
}

/** Block inputs, then the final norm's output, of a pre-norm stream. */
function preNormTaps(index: GraphIndex, stream: readonly string[], normalised: readonly Normalised[], width: number, options: TapDiscoveryOptions): LayerTap[] {
  const onStream = new Set(stream);
  const opensBlock = normalised.map((entry) => entry.norms.some((norm) => reachesAttention(index, norm.output, onStream)));
  const blockInputs = normalised.filter((_, i) => opensBlock[i]).map((entry) => entry.tensor);
  const last = normalised.length - 1;
  if (blockInputs.length === 0) refuse(options, `no normalisation that opens an attention block (the norms on the stream read ${normalised.map((e) => e.tensor).join(', ')})`);
  const finalNorm = normalised[last].norms[0];
  // A final norm feeds the head; a norm whose output flows back into the stream is a block's (an MLP's) own.
  if (opensBlock[last] || feedsStream(index, finalNorm.output, onStream)) {
    refuse(options, `no final normalisation after the last block (the last norm on the stream reads ${normalised[last].tensor}${opensBlock[last] ? ' and opens a block' : ' and feeds the stream again'}; ${streamEnd(index, stream)})`);
  }
  if (options.expectedBlocks !== undefined && blockInputs.length !== options.expectedBlocks) {
    refuse(options, `${blockInputs.length} blocks, but its config declares ${options.expectedBlocks} (blocks open at ${blockInputs.join(', ')}; the final norm reads ${normalised[last].tensor}; ${streamEnd(index, stream)})`);
  }
  return [
    ...blockInputs.map((tensor, layer): LayerTap => ({ layer, tensor, width, role: layer === 0 ? 'embedding' : 'block' })),
    { layer: blockInputs.length, tensor: finalNorm.output, width, role: 'final-norm' },
  ];
}

/** Whether `start` flows (through any ops) into a tensor of the stream. */
function feedsStream(index: GraphIndex, start: string, stream: ReadonlySet<string>): boolean {
  return reachesForward(index, start, (node) => node.output.some((output) => stream.has(output)));
}

/**
 * The stream tensors read by norms, each norm counted once: a tensor and its cast (Qwen2's float32 RMSNorm reads
 * the cast, the residual add too) share one norm, and the first of the two is the layer.
 */
function normalisedTensors(index: GraphIndex, stream: readonly string[], normsByInput: Map<string, NormMatch[]>): Normalised[] {
  const claimed = new Set<string>();
  const entries: Normalised[] = [];
  for (const tensor of stream) {
    const norms = normsOf(index, tensor, normsByInput).filter((norm) => !claimed.has(norm.output));
    for (const norm of norms) claimed.add(norm.output);
    if (norms.length > 0) entries.push({ tensor, norms });
  }
  return entries;
}

/**
 * Where a post-LayerNorm stream starts. When the first normalised tensor is the sum of the stream before it and
 * attention computed from that (OPT-350m: no embedding norm; the first norm follows block 0's attention), the
 * stream before it is layer 0; otherwise (BERT: the embedding sum is normalised) the norm's output is.
 */
function postNormStart(index: GraphIndex, stream: readonly string[], normalisedSum: string): string | undefined {
  const position = stream.indexOf(normalisedSum);
  if (position < 1) return undefined;
  const before = stream[position - 1];
  return reachesAttention(index, before, new Set([normalisedSum])) ? before : undefined;
}

function refuse(options: TapDiscoveryOptions, found: string): never {
  throw new UserError(`${options.fileLabel}: cannot find its layers (${found}); looked for ${LOOKED_FOR}`);
}

/** The residual stream's tensors in order, from `start` to the final norm's input. */
function residualStream(index: GraphIndex, start: string): string[] {
  const stream = [start];
  const seen = new Set(stream);
  for (let next = nextOnStream(index, start); next !== undefined && !seen.has(next); next = nextOnStream(index, next)) {
    stream.push(next);
    seen.add(next);
  }
  return stream;
}
