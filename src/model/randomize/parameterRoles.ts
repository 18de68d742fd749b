import { UserError } from '../../util/index.js';
import { int64, type OnnxModel, type OnnxNode, type OnnxTensor } from '../onnx/onnxProto.js';
import { consumersOf, type GraphIndex } from '../onnx/graphIndex.js';
import { findNorms, type NormMatch } from '../taps/normPatterns.js';
import { findEmbeddingGather } from '../onnx/embeddingLookup.js';
import { INPUT_IDS } from '../taps/tapPlan.js';
import { allInitializers, graphScopes, isTransparent, storedInitializer } from './graphScopes.js';
import { findResidualWriters } from './residualWriters.js';
import { FLOAT_TYPES } from './tensorValues.js';

/** What a weight is, told from the graph's structure (see classifyInitializers). */
export type ParameterRole =
  | 'token-embedding'
  | 'position-embedding'
  | 'matrix'
  | 'residual-projection'
  | 'norm-scale'
  | 'norm-bias'
  | 'linear-bias';

export interface KeptConstant {
  name: string;
  reason: string;
}

export interface InitializerRoles {
  /** Initializer name → role, for every parameter. */
  parameters: Map<string, ParameterRole>;
  /** Initializers left as they are, and why. */
  constants: KeptConstant[];
}

/** Ops that run on quantized weights: a twin is made from a float export instead. */
const QUANTIZED_OPS = new Set([
  'DequantizeLinear', 'MatMulInteger', 'QLinearMatMul', 'MatMulNBits', 'GatherBlockQuantized', 'ConvInteger',
  'QAttention', 'DynamicQuantizeMatMul', 'MatMulIntegerToFloat', 'QGemm', 'MatMulBnb4', 'MatMulFpQ4',
]);

const FUSED_NORMS = new Set(['LayerNormalization', 'SimplifiedLayerNormalization', 'RMSNormalization']);

/** Buffers a model registers that are not trained: causal masks (GPT-2's attn.bias, attn.masked_bias) and RoPE tables. */
const BUFFER_NAME = /(^|[./_])(masked_bias|inv_freq|(cos|sin)_cached?|rotary_emb\.[\w.]+)$|(^|\.)attn\.bias$/;

export interface ClassifyOptions {
  /** For messages: which file. */
  fileLabel: string;
  /** A tensor's values, read only for float tensors no structure explains (to recognise masks). */
  values: (tensor: OnnxTensor) => Float32Array;
}

/**
 * What each weight of a model is, told from the graph's structure: the table a Gather of input_ids reads
 * (token embedding), a table whose lookup is added to the residual stream (position embedding), the weight of
 * a MatMul/Gemm (matrix), such a weight whose output is added to the residual stream (residual projection),
 * the scale and shift of a normalisation, the bias added after a MatMul or taken by a Gemm. Everything else is
 * left exactly as it is when it cannot be a parameter (not a float, a scalar, a known buffer such as a causal
 * mask or a RoPE table); a float tensor that is none of these is refused, naming it, because re-drawing or
 * keeping it would both be guesses.
 */
export function classifyInitializers(model: OnnxModel, options: ClassifyOptions): InitializerRoles {
  refuseFusedGraph(model, options.fileLabel);
  const scopes = graphScopes(model);
  const found = new Map<string, Set<ParameterRole>>();
  const quantized = new Set<string>();
  const note = (tensor: OnnxTensor | undefined, role: ParameterRole) => {
    if (!tensor || elementCount(tensor) <= 1) return; // scalars are never parameters
    const roles = found.get(tensor.name) ?? new Set<ParameterRole>();
    roles.add(role);
    found.set(tensor.name, roles);
  };
  for (const index of scopes) {
    const embedding = findEmbeddingGather(index, INPUT_IDS);
    if (embedding) note(storedInitializer(index, embedding.input[0]), 'token-embedding');
    for (const norm of findNorms(index)) {
      const affine = normAffine(index, norm);
      affine.scales.forEach((t) => note(t, 'norm-scale'));
      affine.biases.forEach((t) => note(t, 'norm-bias'));
    }
    for (const node of index.graph.node) {
      if (!QUANTIZED_OPS.has(node.op_type)) noteNodeRoles(index, node, note);
      else for (const tensor of storedInputs(index, node)) if (elementCount(tensor) > 1) quantized.add(tensor.name);
    }
  }
  const writers = findResidualWriters(scopes, INPUT_IDS);
  const parameters = new Map<string, ParameterRole>();
  const constants: KeptConstant[] = [];
  const unclassified: string[] = [];
  const conflicts: string[] = [];
  for (const tensor of uniqueByName(allInitializers(model))) {
    const roles = found.get(tensor.name) ?? new Set<ParameterRole>();
    if (writers.projections.has(tensor.name) && roles.has('matrix')) roles.add('residual-projection');
    if (writers.positionTables.has(tensor.name) && elementCount(tensor) > 1) roles.add('position-embedding');
    if (quantized.has(tensor.name)) continue;
    if (roles.size > 0 && FLOAT_TYPES.has(tensor.data_type)) {
      const role = settleRole(roles);
      if (role) parameters.set(tensor.name, role);
      else conflicts.push(`${tensor.name} (${[...roles].join(' and ')})`);
      continue;
    }
    const reason = constantReason(tensor, options);
    if (reason) constants.push({ name: tensor.name, reason });
    else unclassified.push(tensor.name);
  }
  if (quantized.size > 0) {
    throw new UserError(`${options.fileLabel} holds quantized weights (${listed([...quantized])}), which cannot be re-drawn as the architecture initializes them: make the untrained twin from the float export (--dtype fp32 or fp16)`);
  }
  if (conflicts.length > 0) {
    throw new UserError(`${options.fileLabel}: cannot make an untrained twin: these weights play two roles that are initialized differently: ${listed(conflicts)}`);
  }
  if (unclassified.length > 0) {
    throw new UserError(`${options.fileLabel}: cannot make an untrained twin: iw cannot tell what these float initializers are (not an embedding, matrix, bias or norm weight it recognises, nor a known constant), so it would have to guess how the architecture initializes them: ${listed(unclassified)}`);
  }
  return { parameters, constants };
}

/**
 * ONNX Runtime's fused transformer ops (onnxruntime-genai's model builder, ORT's transformer optimizer) take their
 * weights packed (q, k and v in one matrix, norms inside the op), so which parameter each stored tensor holds is
 * the op's own convention rather than the graph's structure: iw does not guess it.
 */
const FUSED_TRANSFORMER_OPS = new Set([
  'EmbedLayerNormalization', 'SkipLayerNormalization', 'SkipSimplifiedLayerNormalization', 'Attention',
  'MultiHeadAttention', 'GroupQueryAttention', 'PackedAttention', 'SparseAttention', 'RotaryEmbedding',
]);

function refuseFusedGraph(model: OnnxModel, fileLabel: string): void {
  const fused = [...new Set(model.graph.node.filter((n) => FUSED_TRANSFORMER_OPS.has(n.op_type)).map((n) => n.op_type))];
  if (fused.length === 0) return;
  throw new UserError(`${fileLabel}: cannot make an untrained twin of a graph with ONNX Runtime's fused transformer ops (${fused.join(', ')}: an onnxruntime-genai or ORT-optimized export), whose packed weights iw cannot map onto the architecture's initialisation; make the twin from an unfused export of the same model (optimum's, as transformers.js uses)`);
}

/** MatMul/Gemm weights (the operand that is stored while the other is computed), Gemm's bias, and a bias added after a MatMul. */
function noteNodeRoles(index: GraphIndex, node: OnnxNode, note: (t: OnnxTensor | undefined, role: ParameterRole) => void): void {
  if (node.op_type === 'MatMul' || node.op_type === 'Gemm') {
    const [a, b] = [node.input[0], node.input[1]].map((input) => storedInitializer(index, input));
    if (b && !a) note(b, 'matrix');
    if (a && !b) note(a, 'matrix');
    if (node.op_type === 'Gemm' && node.input[2]) note(storedInitializer(index, node.input[2]), 'linear-bias');
  } else if (node.op_type === 'Add' && node.input.length === 2) {
    const stored = node.input.map((input) => storedInitializer(index, input));
    const computed = node.input.find((_, i) => !stored[i]);
    const bias = stored.find((t) => t !== undefined);
    const producer = computed ? index.producer.get(computed) : undefined;
    if (bias && producer && (producer.op_type === 'MatMul' || producer.op_type === 'Gemm')) note(bias, 'linear-bias');
  }
}

/**
 * A normalisation's scale and shift: the inputs of a fused norm node, or, for decomposed norms, the stored
 * factors and terms of the Mul/Add steps next to its output (walked back from the output, and forward from it
 * where the output was found before a weight that an Identity node hands over).
 */
function normAffine(index: GraphIndex, norm: NormMatch): { scales: OnnxTensor[]; biases: OnnxTensor[] } {
  const scales: OnnxTensor[] = [];
  const biases: OnnxTensor[] = [];
  const producer = index.producer.get(norm.output);
  if (producer && FUSED_NORMS.has(producer.op_type)) {
    const [scale, bias] = [producer.input[1], producer.input[2]].map((input) => (input ? storedInitializer(index, input) : undefined));
    if (scale) scales.push(scale);
    if (bias) biases.push(bias);
    return { scales, biases };
  }
  const take = (node: OnnxNode): string | undefined => {
    if (isTransparent(node.op_type)) return node.input[0];
    if ((node.op_type !== 'Mul' && node.op_type !== 'Add') || node.input.length !== 2) return undefined;
    const stored = node.input.map((input) => storedInitializer(index, input));
    const computed = node.input.filter((_, i) => !stored[i]);
    const weight = stored.find((t) => t !== undefined);
    if (!weight || computed.length !== 1) return undefined;
    (node.op_type === 'Mul' ? scales : biases).push(weight);
    return computed[0];
  };
  let tensor: string | undefined = norm.output;
  for (let depth = 0; tensor && depth < 6; depth++) {
    const node = index.producer.get(tensor);
    tensor = node ? take(node) : undefined;
  }
  tensor = norm.output;
  for (let depth = 0; tensor && depth < 4; depth++) {
    const users = consumersOf(index, tensor);
    tensor = users.length === 1 && take(users[0]) !== undefined ? users[0].output[0] : undefined;
  }
  return { scales, biases };
}

/** One role from the roles a weight's uses gave it; undefined when they disagree. */
function settleRole(roles: Set<ParameterRole>): ParameterRole | undefined {
  const has = (role: ParameterRole) => roles.has(role);
  if (has('residual-projection')) roles.delete('matrix');
  if (has('token-embedding')) roles.delete('matrix'); // a tied output head used as the embedding table itself
  if (has('norm-bias') && has('linear-bias')) roles.delete('linear-bias'); // exporters share one zero vector
  return roles.size === 1 ? [...roles][0] : undefined;
}

function constantReason(tensor: OnnxTensor, options: ClassifyOptions): string | undefined {
  if (!FLOAT_TYPES.has(tensor.data_type)) return 'not a float tensor';
  if (elementCount(tensor) <= 1) return 'a scalar';
  if (BUFFER_NAME.test(tensor.name)) return 'a buffer (causal mask or RoPE table), by its name';
  return isMaskLike(options.values(tensor)) ? 'a mask (its values are only 0 and 1, or 0 and large negatives)' : undefined;
}

function isMaskLike(values: Float32Array): boolean {
  const binary = values.every((v) => v === 0 || v === 1);
  const additive = values.every((v) => v === 0 || v <= -1e4);
  return binary || additive;
}

function storedInputs(index: GraphIndex, node: OnnxNode): OnnxTensor[] {
  return node.input.map((input) => (input ? storedInitializer(index, input) : undefined)).filter((t): t is OnnxTensor => t !== undefined);
}

export function elementCount(tensor: OnnxTensor): number {
  return tensor.dims.reduce<number>((n, d) => n * int64(d), 1);
}

function uniqueByName(tensors: readonly OnnxTensor[]): OnnxTensor[] {
  const seen = new Set<string>();
  return tensors.filter((t) => !seen.has(t.name) && seen.add(t.name));
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, 6).join(', ');
  return names.length > 6 ? `${shown} and ${names.length - 6} more` : shown;
}
