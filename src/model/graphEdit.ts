import { decodeNode, decodeValueInfo, encodeNode, encodeValueInfo, type OnnxModel, type OnnxNode } from './onnxProto.js';
import { fieldBytes, fieldValue, joinPieces, lengthDelimitedField, scanFields } from './protoSplice.js';
import type { TapPlan } from './tapPlan.js';

/**
 * Rewrites a model's bytes so that a session returns the tapped layers, and (unless kept) not the logits:
 * ONNX Runtime returns graph outputs only, and an output nobody needs still costs its whole computation
 * (the vocabulary projection is the largest matrix product of a small model).
 *
 * Only the graph's output list and, for a merged decoder, its If node are re-encoded; every other byte of
 * the file (weights, metadata, fields newer than iw's schema) is copied as it was.
 */
export interface GraphEditOptions {
  /** Keep the logits output (needed to check taps against logits). */
  keepLogits: boolean;
}

const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_OUTPUT = 12;
export const LOGITS = 'logits';

export function editModelForTaps(bytes: Uint8Array, model: OnnxModel, plan: TapPlan, options: GraphEditOptions): Uint8Array {
  const existingOutputs = new Set(model.graph.output.map((o) => o.name));
  const removed = new Set(options.keepLogits ? [] : [LOGITS]);
  const added = [...new Set(plan.outputNames.values())].filter((name) => !existingOutputs.has(name));
  const replacement = plan.branched
    ? { index: plan.branched.nodeIndex, node: branchedNodeWithTaps(model.graph.node[plan.branched.nodeIndex], plan, removed) }
    : undefined;
  const pieces: Uint8Array[] = [];
  for (const field of scanFields(bytes)) {
    if (field.fieldNumber !== MODEL_GRAPH) {
      pieces.push(fieldBytes(bytes, field));
      continue;
    }
    pieces.push(...lengthDelimitedField(MODEL_GRAPH, editGraph(fieldValue(bytes, field), removed, added, replacement)));
  }
  return joinPieces(pieces);
}

function editGraph(
  bytes: Uint8Array,
  removedOutputs: ReadonlySet<string>,
  addedOutputs: readonly string[],
  replacement: { index: number; node: OnnxNode } | undefined,
): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let nodeIndex = 0;
  for (const field of scanFields(bytes)) {
    if (field.fieldNumber === GRAPH_OUTPUT && removedOutputs.has(decodeValueInfo(fieldValue(bytes, field)).name)) continue;
    if (field.fieldNumber === GRAPH_NODE && replacement && nodeIndex++ === replacement.index) {
      pieces.push(...lengthDelimitedField(GRAPH_NODE, [encodeNode(replacement.node)]));
      continue;
    }
    pieces.push(fieldBytes(bytes, field));
  }
  // An output declared without a type is accepted, and is right whatever the model's float type (fp16, fp32).
  for (const name of addedOutputs) pieces.push(...lengthDelimitedField(GRAPH_OUTPUT, [encodeValueInfo({ name })]));
  return pieces;
}

/**
 * The If node of a merged decoder, with each branch returning its tap tensors (and dropping the removed
 * outputs), and the node itself returning them as `iw.layer.<i>`. Re-decoded from the model so that the
 * caller's decoded copy stays as it was.
 */
function branchedNodeWithTaps(original: OnnxNode, plan: TapPlan, removed: ReadonlySet<string>): OnnxNode {
  const node = decodeNode(encodeNode(original));
  const dropped = node.output.map((name, i) => (removed.has(name) ? i : -1)).filter((i) => i >= 0);
  const keep = (_: unknown, i: number) => !dropped.includes(i);
  for (const attribute of node.attribute) {
    if (!attribute.g) continue;
    const tensors = plan.branched!.branchTensors.get(attribute.name)!;
    attribute.g.output = [...attribute.g.output.filter(keep), ...tensors.map((name) => ({ name }))];
  }
  node.output = [...node.output.filter(keep), ...plan.taps.map((t) => plan.outputNames.get(t.layer)!)];
  return node;
}
