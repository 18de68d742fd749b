import { int64, type OnnxGraph, type OnnxNode, type OnnxTensor } from './onnxProto.js';
import { int32FieldValue, numberReader } from './tensorData.js';

/**
 * Who produces and who consumes each tensor of one ONNX graph, and which tensors are constants, so that
 * structural searches (taps, the embedding matrix) can walk the graph both ways. A subgraph (a branch of an
 * If) sees its parent's initializers too: pass them as `outerInitializers`.
 */
export interface GraphIndex {
  graph: OnnxGraph;
  producer: Map<string, OnnxNode>;
  consumers: Map<string, OnnxNode[]>;
  initializers: Map<string, OnnxTensor>;
  graphInputs: Set<string>;
}

export function indexGraph(graph: OnnxGraph, outerInitializers: readonly OnnxTensor[] = []): GraphIndex {
  const producer = new Map<string, OnnxNode>();
  const consumers = new Map<string, OnnxNode[]>();
  for (const node of graph.node) {
    for (const output of node.output) if (output) producer.set(output, node);
    for (const input of node.input) {
      if (!input) continue;
      const list = consumers.get(input);
      if (list) list.push(node);
      else consumers.set(input, [node]);
    }
  }
  const initializers = new Map<string, OnnxTensor>();
  for (const tensor of [...outerInitializers, ...graph.initializer]) initializers.set(tensor.name, tensor);
  return { graph, producer, consumers, initializers, graphInputs: new Set(graph.input.map((v) => v.name)) };
}

export function consumersOf(index: GraphIndex, tensor: string): OnnxNode[] {
  return index.consumers.get(tensor) ?? [];
}

/**
 * A weight or a Constant node's value: something that does not depend on the inputs. Seen through Identity nodes,
 * which exporters use to give one stored tensor several names (the shared ones and zeros of norm weights).
 */
export function isConstant(index: GraphIndex, tensor: string): boolean {
  let current = tensor;
  for (let depth = 0; depth < 8; depth++) {
    if (index.initializers.has(current)) return true;
    const node = index.producer.get(current);
    if (node === undefined) return false;
    if (node.op_type === 'Constant') return true;
    if (node.op_type !== 'Identity') return false;
    current = node.input[0];
  }
  return false;
}

/**
 * The single number a constant holds (scalar or one-element tensor), when it can be read. fp16 exports store
 * their scalars in half precision (Llama's RMSNorm squares with Pow(x, 2) whose 2 is a float16 constant).
 */
export function scalarValue(index: GraphIndex, tensor: string): number | undefined {
  const stored = index.initializers.get(tensor) ?? constantNodeTensor(index, tensor);
  if (!stored) return undefined;
  const count = stored.dims.reduce<number>((n, d) => n * int64(d), 1);
  if (count !== 1) return undefined;
  if (stored.float_data.length === 1) return stored.float_data[0];
  if (stored.int64_data.length === 1) return int64(stored.int64_data[0]);
  if (stored.int32_data.length === 1) return int32FieldValue(stored.data_type, stored.int32_data[0]);
  const raw = stored.raw_data;
  if (!raw || raw.length === 0) return undefined;
  return numberReader(stored.data_type, new DataView(raw.buffer, raw.byteOffset, raw.byteLength))?.(0);
}

function constantNodeTensor(index: GraphIndex, tensor: string): OnnxTensor | undefined {
  const node = index.producer.get(tensor);
  if (!node || node.op_type !== 'Constant') return undefined;
  return node.attribute.find((a) => a.name === 'value')?.t ?? undefined;
}

/** The other input of a two-input node, given one of them. */
export function otherInput(node: OnnxNode, tensor: string): string | undefined {
  if (node.input.length !== 2) return undefined;
  if (node.input[0] === tensor) return node.input[1];
  if (node.input[1] === tensor) return node.input[0];
  return undefined;
}
