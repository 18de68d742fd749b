import type { OnnxGraph, OnnxNode } from './onnx/onnxProto.js';
import { int64 } from './onnx/onnxProto.js';
import type { InexactPastReason } from './types.js';

/** Ops whose one quantization scale is computed over the whole tensor: every position and batch row. */
const POSITION_MIXING_OPS = new Set(['DynamicQuantizeLinear', 'DynamicQuantizeMatMul', 'DynamicQuantizeLSTM']);
const REDUCE_OPS = new Set(['ReduceMax', 'ReduceMin', 'ReduceMean', 'ReduceSum', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceSumSquare', 'ReduceLogSumExp']);
const SHAPE_OPS = new Set(['Shape', 'Size']);

/**
 * Finds why the fast engine's stacked, masked pasts would be inexact for a model (the kinds: InexactPastKind in
 * types.ts). The reasons found in a graph (and its If branches): GroupQueryAttention nodes (and their local_window_size),
 * position-mixing ops, and reductions over every axis of a tensor computed from the token ids.
 */
export function graphInexactReasons(graph: OnnxGraph, inputIds: string): InexactPastReason[] {
  const nodes = allNodes(graph);
  const reasons: InexactPastReason[] = [];
  const gqa = nodes.filter((n) => n.op_type === 'GroupQueryAttention');
  if (gqa.length > 0) {
    reasons.push({ kind: 'group-query-attention', detail: `GroupQueryAttention (${nodeCount(gqa.length)}) takes each row's length from the attention mask's sum, so padded new tokens after a past are misplaced` });
    const windows = new Set(gqa.map((n) => attributeInt(n, 'local_window_size') ?? -1).filter((w) => w >= 0));
    if (windows.size > 0) reasons.push({ kind: 'sliding-window', detail: `GroupQueryAttention local_window_size ${[...windows].join(', ')}` });
  }
  const reduceAll = nodes.filter(reducesAllAxes);
  const fromIds = reduceAll.length > 0 ? dependsOnTokenIds(nodes, inputIds) : new Set<string>();
  const mixing = nodes.filter((n) => POSITION_MIXING_OPS.has(n.op_type) || (reducesAllAxes(n) && fromIds.has(n.input[0])));
  for (const [op, count] of countBy(mixing, (n) => n.op_type)) {
    reasons.push({ kind: 'position-mixing', detail: `${op} (${nodeCount(count)}) computes one value over all positions and rows` });
  }
  return reasons;
}

/** A sliding window the config turns on (Gemma 2/3, Mistral; Qwen2 with use_sliding_window), shorter than the context. */
export function configInexactReasons(config: Record<string, unknown>, contextLength: number): InexactPastReason[] {
  const window = config.sliding_window;
  if (typeof window !== 'number' || window <= 0 || config.use_sliding_window === false) return [];
  if (window >= contextLength) return [];
  return [{ kind: 'sliding-window', detail: `config.json sliding_window ${window}: attention over the last ${window} positions counts masked empty slots` }];
}

function nodeCount(count: number): string {
  return `${count} node${count === 1 ? '' : 's'}`;
}

function allNodes(graph: OnnxGraph): OnnxNode[] {
  return graph.node.flatMap((node) => [node, ...node.attribute.flatMap((a) => [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]).flatMap(allNodes)]);
}

function attributeInt(node: OnnxNode, name: string): number | undefined {
  const attribute = node.attribute.find((a) => a.name === name);
  return attribute?.i === undefined || attribute.i === null ? undefined : int64(attribute.i);
}

/** A Reduce* with no axes (attribute or input) and noop_with_empty_axes unset: it reduces every axis. */
function reducesAllAxes(node: OnnxNode): boolean {
  if (!REDUCE_OPS.has(node.op_type)) return false;
  if (node.input[1]) return false;
  const axes = node.attribute.find((a) => a.name === 'axes');
  if (axes && axes.ints.length > 0) return false;
  return (attributeInt(node, 'noop_with_empty_axes') ?? 0) === 0;
}

/** Tensors whose values are computed from the token ids (shape arithmetic left out: it mixes no values). */
function dependsOnTokenIds(nodes: readonly OnnxNode[], inputIds: string): Set<string> {
  const reached = new Set([inputIds]);
  for (let changed = true; changed;) {
    changed = false;
    for (const node of nodes) {
      if (SHAPE_OPS.has(node.op_type) || !node.input.some((i) => reached.has(i))) continue;
      for (const output of node.output) if (output && !reached.has(output)) { reached.add(output); changed = true; }
    }
  }
  return reached;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}
