import { UserError } from '../../util/errors.js';
import type { LayerTap } from '../types.js';
import type { OnnxNode } from '../onnx/onnxProto.js';
import { consumersOf, isConstant, otherInput, type GraphIndex } from '../onnx/graphIndex.js';
import { findNorms, SKIP_NORMS, type NormMatch } from './normPatterns.js';
import { embeddingShape, embeddingSource, findEmbeddingGather } from '../onnx/embeddingLookup.js';
import { continuesAfterNorm, discoverPostNormTaps } from './postNormTaps.js';

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

export const ATTENTION_OPS = new Set([
  'Softmax', 'Attention', 'MultiHeadAttention', 'GroupQueryAttention', 'PackedAttention', 'PagedAttention',
  'SparseAttention', 'DecoderMaskedMultiHeadAttention', 'DecoderMaskedSelfAttention',
]);

export const SHAPE_OPS = new Set(['Shape', 'Size']);

const LOOKED_FOR =
  'a Gather of input_ids (token embedding), then along the residual stream normalisations (LayerNormalization, ' +
  'or ReduceMean-based LayerNorm/RMSNorm) that open attention blocks, then a final normalisation (or, in a ' +
  'post-LayerNorm encoder, a normalisation after every residual add)';

/**
 * Finds the residual stream of a decoder graph from its structure, in the Hugging Face hidden_states
 * convention: layer i (i < L) = the input of block i's first normalisation (layer 0 = the embedding output,
 * positions included), layer L = the output of the final normalisation.
 *
 * How: start at the token embedding (the Gather of input_ids) and follow the residual stream forward, through
 * each Add that takes it (position embeddings, then each sub-block's residual add). Along it, a tensor that
 * feeds a normalisation whose output reaches attention (Softmax or a fused attention op) before the stream's
 * next step is a block's input; the last normalised tensor, whose norm does not reach attention, is the input
 * of the final norm. No tensor names are assumed, so GPT-2, Llama and their exports at any opset work alike.
 * Post-LayerNorm encoders (BERT, RoBERTa), whose stream is the output of each norm rather than its input, are
 * recognised where the embedding sum's norm output is itself added to, and handed to postNormTaps.ts.
 */
export function discoverTaps(index: GraphIndex, options: TapDiscoveryOptions): LayerTap[] {
  const fused = index.graph.node.find((n) => SKIP_NORMS.has(n.op_type));
  if (fused) {
    throw new UserError(`${options.fileLabel}: its residual stream is fused into ${fused.op_type} nodes (an ORT-optimized export), which iw cannot tap; use an unoptimized export of the model`);
  }
  const embedding = findEmbeddingGather(index, options.inputIds);
  if (!embedding) refuse(options, `no token embedding (no Gather of ${options.inputIds})`);
  const width = options.width ?? embeddingWidth(index, embedding);
  if (width === undefined) refuse(options, 'no width: the config gives no hidden size and the embedding matrix is not readable');
  const stream = residualStream(index, embedding.output[0]);
  const normsByInput = groupNormsByInput(findNorms(index));
  const normalised = stream
    .map((tensor) => ({ tensor, norms: normsOf(index, tensor, normsByInput) }))
    .filter((entry) => entry.norms.length > 0);
  if (normalised.length === 0) refuse(options, 'no normalisation on the residual stream');
  const embeddingNorm = normalised[normalised.length - 1].norms[0];
  if (normalised.length === 1 && continuesAfterNorm(index, embeddingNorm, normsByInput)) {
    return discoverPostNormTaps(index, embeddingNorm, normsByInput, { width, expectedBlocks: options.expectedBlocks, refuse: (found) => refuse(options, found) });
  }
  const onStream = new Set(stream);
  const opensBlock = normalised.map((entry) => entry.norms.some((norm) => reachesAttention(index, norm.output, onStream)));
  const blockInputs = normalised.filter((_, i) => opensBlock[i]).map((entry) => entry.tensor);
  const last = normalised.length - 1;
  if (blockInputs.length === 0) refuse(options, 'no normalisation that opens an attention block');
  if (opensBlock[last]) refuse(options, 'no final normalisation after the last block');
  if (options.expectedBlocks !== undefined && blockInputs.length !== options.expectedBlocks) {
    refuse(options, `${blockInputs.length} blocks, but its config declares ${options.expectedBlocks}`);
  }
  const finalNorm = normalised[last].norms[0];
  return [
    ...blockInputs.map((tensor, layer): LayerTap => ({ layer, tensor, width, role: layer === 0 ? 'embedding' : 'block' })),
    { layer: blockInputs.length, tensor: finalNorm.output, width, role: 'final-norm' },
  ];
}

function embeddingWidth(index: GraphIndex, gather: OnnxNode): number | undefined {
  const source = embeddingSource(index, gather);
  return source ? embeddingShape(source)?.[1] : undefined;
}

function refuse(options: TapDiscoveryOptions, found: string): never {
  throw new UserError(`${options.fileLabel}: cannot find its layers (${found}); looked for ${LOOKED_FOR}`);
}

/** The residual stream's tensors in order, from the embedding lookup to the final norm's input. */
function residualStream(index: GraphIndex, start: string): string[] {
  const stream = [start];
  const seen = new Set(stream);
  for (let next = nextOnStream(index, start); next !== undefined && !seen.has(next); next = nextOnStream(index, next)) {
    stream.push(next);
    seen.add(next);
  }
  return stream;
}

/**
 * The stream's next tensor: the output of the Add that takes it with a computed (non-constant) other term;
 * failing that, of its only user when that is a cast, an identity or a scaling by a constant (Gemma scales
 * its embeddings).
 */
export function nextOnStream(index: GraphIndex, tensor: string): string | undefined {
  const users = consumersOf(index, tensor);
  const residualAdd = users.find((n) => n.op_type === 'Add' && !isConstant(index, otherInput(n, tensor) ?? tensor));
  if (residualAdd) return residualAdd.output[0];
  if (users.length !== 1) return undefined;
  const [user] = users;
  if (user.op_type === 'Cast' || user.op_type === 'Identity') return user.output[0];
  const other = otherInput(user, tensor);
  if (user.op_type === 'Mul' && other !== undefined && isConstant(index, other)) return user.output[0];
  return undefined;
}

export function groupNormsByInput(norms: readonly NormMatch[]): Map<string, NormMatch[]> {
  const byInput = new Map<string, NormMatch[]>();
  for (const norm of norms) byInput.set(norm.input, [...(byInput.get(norm.input) ?? []), norm]);
  return byInput;
}

/** Norms of a stream tensor, directly or through a cast to the norm's compute type (fp16 exports). */
export function normsOf(index: GraphIndex, tensor: string, byInput: Map<string, NormMatch[]>): NormMatch[] {
  const direct = byInput.get(tensor) ?? [];
  const viaCast = consumersOf(index, tensor)
    .filter((n: OnnxNode) => n.op_type === 'Cast')
    .flatMap((n) => byInput.get(n.output[0]) ?? []);
  return [...direct, ...viaCast];
}

/** Whether attention is computed from `start` before the residual stream is reached again. */
export function reachesAttention(index: GraphIndex, start: string, stream: ReadonlySet<string>): boolean {
  const seen = new Set<string>([start]);
  const frontier = [start];
  for (let tensor = frontier.pop(); tensor !== undefined && seen.size < 20_000; tensor = frontier.pop()) {
    for (const node of consumersOf(index, tensor)) {
      if (ATTENTION_OPS.has(node.op_type)) return true;
      if (SHAPE_OPS.has(node.op_type)) continue; // shape arithmetic is not data flow and may be shared
      for (const output of node.output) {
        if (!output || seen.has(output) || stream.has(output)) continue;
        seen.add(output);
        frontier.push(output);
      }
    }
  }
  return false;
}
