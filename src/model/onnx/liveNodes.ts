import type { OnnxGraph, OnnxNode } from './onnxProto.js';

/**
 * Which of a graph's nodes its outputs need: a node is live when one of its outputs is a graph output or feeds
 * a live node. ONNX Runtime computes every node of a graph, even one whose result nobody reads, so a model
 * asked only for its layers still pays for the logits' vocabulary projection unless those nodes go (about a
 * fifth of a GPT-2 small pass) — hence this, used when the logits output is removed.
 *
 * ONNX requires nodes in topological order, so one backward sweep finds them. A node holding subgraphs (If,
 * Loop, Scan) reads outer tensors by name from inside them; every name its subgraphs read counts as its input.
 */
export function liveNodeFlags(nodes: readonly OnnxNode[], outputs: Iterable<string>): boolean[] {
  const needed = new Set(outputs);
  const live = new Array<boolean>(nodes.length).fill(false);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    if (!node.output.some((name) => needed.has(name))) continue;
    live[i] = true;
    for (const name of inputsOf(node)) needed.add(name);
  }
  return live;
}

/** A node's inputs, with every tensor its subgraphs read (outer-scope names included). */
function inputsOf(node: OnnxNode): string[] {
  const names = [...node.input];
  for (const attribute of node.attribute) {
    for (const graph of [attribute.g, ...(attribute.graphs ?? [])]) if (graph) names.push(...subgraphReads(graph));
  }
  return names;
}

function subgraphReads(graph: OnnxGraph): string[] {
  return graph.node.flatMap(inputsOf);
}
