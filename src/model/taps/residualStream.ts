import { int64, type OnnxNode } from '../onnx/onnxProto.js';
import { consumersOf, isConstant, otherInput, type GraphIndex } from '../onnx/graphIndex.js';
import type { NormMatch } from './normPatterns.js';

/**
 * The steps by which a residual stream moves through a graph, shared by the pre-norm walk (tapDiscovery.ts) and
 * the post-norm walk (postNormTaps.ts): residual adds, and the ops that carry the stream's values unchanged in
 * meaning (casts, reshapes, dequantization, a scaling by a constant).
 */

export const ATTENTION_OPS = new Set([
  'Softmax', 'Attention', 'MultiHeadAttention', 'GroupQueryAttention', 'PackedAttention', 'PagedAttention',
  'SparseAttention', 'DecoderMaskedMultiHeadAttention', 'DecoderMaskedSelfAttention',
]);

/** Shape arithmetic reads a tensor's shape, not its values: it is not data flow and may be shared. */
const SHAPE_OPS = new Set(['Shape', 'Size']);

/**
 * Ops that carry a tensor's values on, as the stream: a cast to the norm's compute type (Qwen2 and Gemma compute
 * their RMSNorm in float32 behind a Cast; fp16 exports), an identity, a reshape between [batch, sequence, width]
 * and [batch × sequence, width] (OPT), the dequantization of an 8-bit embedding lookup.
 */
const CARRYING_OPS = new Set(['Cast', 'Identity', 'Reshape', 'Squeeze', 'Unsqueeze', 'Flatten', 'DequantizeLinear']);

/** The nodes that read a tensor's values (not only its shape). */
export function dataConsumers(index: GraphIndex, tensor: string): OnnxNode[] {
  return consumersOf(index, tensor).filter((n) => !SHAPE_OPS.has(n.op_type));
}

/**
 * The tensor that carries `tensor`'s values on, when its only reader is a carrying op or a scaling by a constant
 * (Gemma scales its embeddings by √width; the scaled tensor is its hidden_states[0]).
 */
export function carriedOn(index: GraphIndex, tensor: string): string | undefined {
  const users = dataConsumers(index, tensor);
  if (users.length !== 1) return undefined;
  const [user] = users;
  if (CARRYING_OPS.has(user.op_type)) return user.input[0] === tensor ? user.output[0] : undefined;
  const other = otherInput(user, tensor);
  const scaling = user.op_type === 'Mul' || (user.op_type === 'Div' && user.input[0] === tensor);
  return scaling && other !== undefined && isConstant(index, other) ? user.output[0] : undefined;
}

/** The Add that takes `tensor` and a computed (non-constant) term: a residual add, or the position embeddings' add. */
export function residualAdd(index: GraphIndex, tensor: string): OnnxNode | undefined {
  return consumersOf(index, tensor).find((n) => n.op_type === 'Add' && !isConstant(index, otherInput(n, tensor) ?? tensor));
}

/** The stream's next tensor: the output of its residual add; failing that, the tensor that carries it on. */
export function nextOnStream(index: GraphIndex, tensor: string): string | undefined {
  return residualAdd(index, tensor)?.output[0] ?? carriedOn(index, tensor);
}

/** The residual add reached from `tensor` through carrying ops (OPT reshapes its stream around each MLP). */
export function residualAddAhead(index: GraphIndex, tensor: string): OnnxNode | undefined {
  for (let current: string | undefined = tensor, steps = 0; current !== undefined && steps < 8; current = carriedOn(index, current), steps++) {
    const add = residualAdd(index, current);
    if (add) return add;
  }
  return undefined;
}

export function groupNormsByInput(norms: readonly NormMatch[]): Map<string, NormMatch[]> {
  const byInput = new Map<string, NormMatch[]>();
  for (const norm of norms) byInput.set(norm.input, [...(byInput.get(norm.input) ?? []), norm]);
  return byInput;
}

/** Norms of a stream tensor, directly or through a cast to the norm's compute type (fp16 exports, Qwen2, Gemma). */
export function normsOf(index: GraphIndex, tensor: string, byInput: Map<string, NormMatch[]>): NormMatch[] {
  const direct = byInput.get(tensor) ?? [];
  const viaCast = consumersOf(index, tensor)
    .filter((n: OnnxNode) => n.op_type === 'Cast')
    .flatMap((n) => byInput.get(n.output[0]) ?? []);
  return [...direct, ...viaCast];
}

/** Norms reached from `tensor` through carrying ops (a reshape between the residual add and the norm: OPT). */
export function normsAhead(index: GraphIndex, tensor: string, byInput: Map<string, NormMatch[]>): NormMatch[] {
  for (let current: string | undefined = tensor, steps = 0; current !== undefined && steps < 8; current = carriedOn(index, current), steps++) {
    const norms = normsOf(index, current, byInput);
    if (norms.length > 0) return norms;
  }
  return [];
}

/** Whether attention is computed from `start` before the residual stream is reached again. */
export function reachesAttention(index: GraphIndex, start: string, stream: ReadonlySet<string>): boolean {
  return reachesForward(index, start, (node) => ATTENTION_OPS.has(node.op_type), (_, output) => !stream.has(output));
}

/**
 * Whether a walk forward along the data from `start` (shape ops left out: dataConsumers) meets a node `goal`
 * accepts, going on only through the outputs `follow` allows. Bounded at 20,000 tensors, many times a graph's
 * blocks, so that a malformed graph cannot make it run on.
 */
export function reachesForward(
  index: GraphIndex,
  start: string,
  goal: (node: OnnxNode) => boolean,
  follow: (node: OnnxNode, output: string) => boolean = () => true,
): boolean {
  const seen = new Set<string>([start]);
  const frontier = [start];
  for (let tensor = frontier.pop(); tensor !== undefined && seen.size < 20_000; tensor = frontier.pop()) {
    for (const node of dataConsumers(index, tensor)) {
      if (goal(node)) return true;
      for (const output of node.output) {
        if (!output || seen.has(output) || !follow(node, output)) continue;
        seen.add(output);
        frontier.push(output);
      }
    }
  }
  return false;
}

/**
 * A projection by a constant matrix that changes the width (OPT-350m's project_in after the embedding lookup and
 * project_out before the LM head, where word_embed_proj_dim ≠ hidden_size): its output and the width it gives.
 */
export function widthProjection(index: GraphIndex, tensor: string): { output: string; width: number } | undefined {
  const users = dataConsumers(index, tensor);
  if (users.length !== 1 || users[0].op_type !== 'MatMul' || users[0].input[0] !== tensor) return undefined;
  const dims = index.initializers.get(users[0].input[1])?.dims.map((d) => int64(d));
  if (!dims || dims.length !== 2 || dims[0] === dims[1]) return undefined;
  return { output: users[0].output[0], width: dims[1] };
}
