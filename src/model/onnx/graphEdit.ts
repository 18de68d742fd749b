import { decodeNode, decodeValueInfo, encodeNode, encodeValueInfo, OnnxField, type OnnxModel, type OnnxNode, type OnnxValueInfo } from './onnxProto.js';
import { fieldBytes, fieldValue, joinPieces, lengthDelimitedField, scanFields } from './protoSplice.js';
import type { TapPlan } from '../taps/tapPlan.js';
import { liveNodeFlags } from './liveNodes.js';
import { findLogitsHead, headAtRows, LOGITS_AT_ROWS } from './logitsAtRows.js';
import type { LogitsKept } from '../types.js';

/** How to edit a model for taps. */
export interface GraphEditOptions {
  /** 'rows' gives LOGITS_AT_ROWS when the head allows it (findLogitsHead), else every token's logits. */
  logits: LogitsKept;
}

const { MODEL_GRAPH, GRAPH_NODE, GRAPH_INPUT, GRAPH_OUTPUT } = OnnxField;
export const LOGITS = 'logits';

/**
 * Rewrites a model's bytes so that a session returns the tapped layers, and (unless kept) not the logits nor the
 * nodes that only computed them: ONNX Runtime returns graph outputs only, and runs every node of the graph, so
 * an output nobody needs still costs its whole computation (the vocabulary projection is the largest matrix
 * product of a small model).
 *
 * Only the graph's output list, its dead nodes and, for a merged decoder, its If node change, and with logits at
 * chosen rows an input and the head's copy are appended (headAtRows); every other byte of the file (weights or their
 * external-data references, metadata, fields newer than iw's schema) is copied as it was.
 */
export function editModelForTaps(bytes: Uint8Array, model: OnnxModel, plan: TapPlan, options: GraphEditOptions): Uint8Array {
  const existingOutputs = new Set(model.graph.output.map((o) => o.name));
  const head = options.logits === 'rows' ? findLogitsHead(model, LOGITS) : undefined;
  const atRows = head ? headAtRows(head) : { input: undefined, nodes: [] };
  const removed = new Set(options.logits === 'none' || head ? [LOGITS] : []);
  const added = [...new Set(plan.outputNames.values())].filter((name) => !existingOutputs.has(name));
  if (head) added.push(LOGITS_AT_ROWS);
  const replacement = plan.branched
    ? { index: plan.branched.nodeIndex, node: branchedNodeWithTaps(model.graph.node[plan.branched.nodeIndex], plan.branched.branchTensors, plan, removed) }
    : undefined;
  const outputs = [...model.graph.output.map((o) => o.name).filter((name) => !removed.has(name)), ...added];
  const nodes = [...model.graph.node.map((node, i) => (i === replacement?.index ? replacement.node : node)), ...atRows.nodes];
  const edit: GraphEdit = {
    removedOutputs: removed, addedOutputs: added, replacement, live: liveNodeFlags(nodes, outputs),
    addedInputs: atRows.input ? [atRows.input] : [], addedNodes: atRows.nodes,
  };
  const pieces: Uint8Array[] = [];
  for (const field of scanFields(bytes)) {
    if (field.fieldNumber !== MODEL_GRAPH) {
      pieces.push(fieldBytes(bytes, field));
      continue;
    }
    pieces.push(...lengthDelimitedField(MODEL_GRAPH, editGraph(fieldValue(bytes, field), edit)));
  }
  return joinPieces(pieces);
}

interface GraphEdit {
  removedOutputs: ReadonlySet<string>;
  addedOutputs: readonly string[];
  replacement: { index: number; node: OnnxNode } | undefined;
  /** Per node of the graph, in order: whether an output needs it (dead nodes are left out). */
  live: readonly boolean[];
  addedInputs: readonly OnnxValueInfo[];
  /** Nodes appended after the graph's own (they read only what those compute). */
  addedNodes: readonly OnnxNode[];
}

function editGraph(bytes: Uint8Array, { removedOutputs, addedOutputs, replacement, live, addedInputs, addedNodes }: GraphEdit): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let nodeIndex = 0;
  for (const field of scanFields(bytes)) {
    if (field.fieldNumber === GRAPH_OUTPUT && removedOutputs.has(decodeValueInfo(fieldValue(bytes, field)).name)) continue;
    if (field.fieldNumber === GRAPH_NODE) {
      const index = nodeIndex++;
      if (!live[index]) continue;
      if (index === replacement?.index) {
        pieces.push(...lengthDelimitedField(GRAPH_NODE, [encodeNode(replacement.node)]));
        continue;
      }
    }
    pieces.push(fieldBytes(bytes, field));
  }
  for (const node of addedNodes) pieces.push(...lengthDelimitedField(GRAPH_NODE, [encodeNode(node)]));
  for (const input of addedInputs) pieces.push(...lengthDelimitedField(GRAPH_INPUT, [encodeValueInfo(input)]));
  // An output declared without a type is accepted, and is right whatever the model's float type (fp16, fp32).
  for (const name of addedOutputs) pieces.push(...lengthDelimitedField(GRAPH_OUTPUT, [encodeValueInfo({ name })]));
  return pieces;
}

/**
 * The If node of a merged decoder, with each branch returning its tap tensors (and dropping the removed
 * outputs), and the node itself returning them as `iw.layer.<i>`. Re-decoded from the model so that the
 * caller's decoded copy stays as it was.
 */
function branchedNodeWithTaps(
  original: OnnxNode,
  branchTensors: ReadonlyMap<string, string[]>,
  plan: TapPlan,
  removed: ReadonlySet<string>,
): OnnxNode {
  const node = decodeNode(encodeNode(original));
  const dropped = node.output.map((name, i) => (removed.has(name) ? i : -1)).filter((i) => i >= 0);
  const keep = (_: unknown, i: number) => !dropped.includes(i);
  for (const attribute of node.attribute) {
    if (!attribute.g) continue;
    const tensors = branchTensors.get(attribute.name);
    if (!tensors) throw new Error(`tap plan has no tensors for If branch ${attribute.name}`);
    attribute.g.output = [...attribute.g.output.filter(keep), ...tensors.map((name) => ({ name }))];
    const live = liveNodeFlags(attribute.g.node, attribute.g.output.map((o) => o.name));
    attribute.g.node = attribute.g.node.filter((_, i) => live[i]);
  }
  node.output = [...node.output.filter(keep), ...plan.taps.map((t) => tapOutputName(plan, t.layer))];
  return node;
}

function tapOutputName(plan: TapPlan, layer: number): string {
  const name = plan.outputNames.get(layer);
  if (name === undefined) throw new Error(`tap plan names no output for layer ${layer}`);
  return name;
}
