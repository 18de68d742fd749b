import { int64, OnnxDataType, type OnnxModel, type OnnxNode, type OnnxValueInfo } from './onnxProto.js';
import { consumersOf, indexGraph, isConstant, type GraphIndex } from './graphIndex.js';

/** The graph input that names the tokens whose logits to compute: [rows, 2] int64 pairs (batch row, position). */
export const LOGIT_ROWS = 'iw.logit_rows';
/** The graph output of the logits at those tokens only: [rows, vocabulary]. */
export const LOGITS_AT_ROWS = 'iw.logits_at_rows';

/**
 * Ops that may lie between the vocabulary projection and the logits, each computing a position's value from that
 * position's alone and constants: a bias (GPT-J, Phi, CodeGen, BERT), Gemma 2's soft-capping (Div, Tanh, Mul), the
 * Cast of an fp16 export's logits to float32.
 */
const POSITIONWISE = new Set(['Add', 'Sub', 'Mul', 'Div', 'Tanh', 'Cast', 'Identity']);
/** Projections that multiply each position's hidden state by a constant matrix (plain, 4-bit and NF4 weights). */
const PROJECTIONS = new Set(['MatMul', 'MatMulNBits', 'MatMulBnb4']);
/** How far back from the logits the projection may lie (Gemma 2's head is four nodes long). */
const MAX_HEAD_NODES = 8;
/** GatherND, which picks the rows, arrived in opset 11. */
const GATHER_ND_OPSET = 11;

/** A model's head: the hidden state the vocabulary projection reads, and the nodes from it to the logits, in order. */
export interface LogitsHead {
  hidden: string;
  nodes: OnnxNode[];
}

/**
 * The model's head when every token's logits come from that token's final hidden state alone, so that the head
 * can run on chosen tokens only; undefined otherwise (logits out of an If, a head whose input is quantized with
 * one scale for the whole tensor, a node in it that something else reads, a graph older than opset 11). The logits
 * must be declared [batch, sequence, vocabulary], so that the projection reads a [batch, sequence, width] tensor.
 */
export function findLogitsHead(model: OnnxModel, logits: string): LogitsHead | undefined {
  const declared = model.graph.output.find((o) => o.name === logits);
  if (declared?.type?.tensor_type?.shape?.dim.length !== 3 || defaultOpset(model) < GATHER_ND_OPSET) return undefined;
  const index = indexGraph(model.graph);
  const nodes: OnnxNode[] = [];
  let tensor = logits;
  for (let step = 0; step < MAX_HEAD_NODES; step++) {
    const node = index.producer.get(tensor);
    if (!node || node.output.length !== 1 || (tensor !== logits && consumersOf(index, tensor).length !== 1)) return undefined;
    nodes.unshift(node);
    const computed = node.input.filter((input) => input && !isConstant(index, input) && !fromConstants(index, input));
    if (PROJECTIONS.has(node.op_type)) return computed.length === 1 && computed[0] === node.input[0] ? { hidden: node.input[0], nodes } : undefined;
    if (!POSITIONWISE.has(node.op_type) || computed.length !== 1) return undefined;
    tensor = computed[0];
  }
  return undefined;
}

/**
 * The head rebuilt to read the chosen tokens only: a GatherND of the hidden state at LOGIT_ROWS, then a copy of
 * each head node on the gathered rows, the last one writing LOGITS_AT_ROWS. Appended after the graph's nodes (all
 * they read is computed before), under names of their own; the original head is left for the caller to prune.
 */
export function headAtRows(head: LogitsHead): { input: OnnxValueInfo; nodes: OnnxNode[] } {
  const renamed = new Map<string, string>([[head.hidden, `${LOGIT_ROWS}/hidden`]]);
  const gather: OnnxNode = { op_type: 'GatherND', name: `${LOGIT_ROWS}/GatherND`, input: [head.hidden, LOGIT_ROWS], output: [`${LOGIT_ROWS}/hidden`], attribute: [] };
  const copies = head.nodes.map((node, i): OnnxNode => {
    const output = i === head.nodes.length - 1 ? LOGITS_AT_ROWS : `${LOGIT_ROWS}/${node.output[0]}`;
    const copy = { ...node, name: `${LOGIT_ROWS}/${node.name ?? i}`, input: node.input.map((name) => renamed.get(name) ?? name), output: [output] };
    renamed.set(node.output[0], output);
    return copy;
  });
  const input: OnnxValueInfo = { name: LOGIT_ROWS, type: { tensor_type: { elem_type: INT64, shape: { dim: [{ dim_param: 'rows' }, { dim_value: 2 }] } } } };
  return { input, nodes: [gather, ...copies] };
}

const { INT64 } = OnnxDataType;

function defaultOpset(model: OnnxModel): number {
  const entry = model.opset_import.find((o) => !o.domain || o.domain === 'ai.onnx');
  return entry ? int64(entry.version) : 0;
}

/** A tensor computed from constants alone (the embedding transposed for a tied head, a dequantized weight). */
function fromConstants(index: GraphIndex, tensor: string, depth = 0): boolean {
  if (isConstant(index, tensor)) return true;
  const node = index.producer.get(tensor);
  if (!node || depth >= 4 || index.graphInputs.has(tensor)) return false;
  return node.input.every((input) => !input || fromConstants(index, input, depth + 1));
}
