import type { OnnxGraph, OnnxModel, OnnxTensor } from '../onnx/onnxProto.js';
import { indexGraph, type GraphIndex } from '../onnx/graphIndex.js';

/**
 * Every graph of a model with an index for walking it: the main graph and the subgraphs nested in its nodes
 * (the then/else branches of a merged decoder's If), each seeing its ancestors' initializers, as ONNX scoping
 * says. Weights of a merged decoder live in the main graph but are used inside the branches.
 */
export function graphScopes(model: OnnxModel): GraphIndex[] {
  const scopes: GraphIndex[] = [];
  const visit = (graph: OnnxGraph, outer: readonly OnnxTensor[]) => {
    scopes.push(indexGraph(graph, outer));
    const visible = [...outer, ...graph.initializer];
    for (const node of graph.node) {
      for (const attribute of node.attribute) {
        if (attribute.g) visit(attribute.g, visible);
        for (const subgraph of attribute.graphs ?? []) visit(subgraph, visible);
      }
    }
  };
  visit(model.graph, []);
  return scopes;
}

/** Every initializer of the model (main graph and subgraphs), each once. */
export function allInitializers(model: OnnxModel): OnnxTensor[] {
  const found: OnnxTensor[] = [];
  const visit = (graph: OnnxGraph) => {
    found.push(...graph.initializer);
    for (const node of graph.node) {
      for (const attribute of node.attribute) {
        if (attribute.g) visit(attribute.g);
        for (const subgraph of attribute.graphs ?? []) visit(subgraph);
      }
    }
  };
  visit(model.graph);
  return found;
}

/** Ops that pass a stored tensor on unchanged in value: a weight seen through them is still that weight. */
const TRANSPARENT = new Set(['Identity', 'Cast']);

/**
 * The initializer a tensor is, seen through Identity and Cast nodes (exporters dedupe equal weights by
 * pointing Identity nodes at one initializer; mixed-precision exports cast fp16 weights up).
 */
export function storedInitializer(index: GraphIndex, tensor: string): OnnxTensor | undefined {
  let current = tensor;
  for (let depth = 0; depth < 8; depth++) {
    const stored = index.initializers.get(current);
    if (stored) return stored;
    const producer = index.producer.get(current);
    if (!producer || !TRANSPARENT.has(producer.op_type)) return undefined;
    current = producer.input[0];
  }
  return undefined;
}

export function isTransparent(opType: string): boolean {
  return TRANSPARENT.has(opType);
}
