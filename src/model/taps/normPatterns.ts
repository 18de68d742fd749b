import type { OnnxNode } from '../onnx/onnxProto.js';
import { consumersOf, isConstant, otherInput, scalarValue, type GraphIndex } from '../onnx/graphIndex.js';

/** A normalisation found in a graph: the tensor normalised (`input`) and the normalised, scaled result (`output`). */
export interface NormMatch {
  input: string;
  output: string;
  kind: string;
}

const FUSED_NORMS = new Set(['LayerNormalization', 'SimplifiedLayerNormalization', 'RMSNormalization']);
/** ORT-fused norms that also do the residual add: the residual stream is then an optional output. */
export const SKIP_NORMS = new Set(['SkipLayerNormalization', 'SkipSimplifiedLayerNormalization']);

/**
 * The normalisations of a graph, recognised by what they compute rather than by their names:
 * - one LayerNormalization / SimplifiedLayerNormalization / RMSNormalization node (opset 17+, ORT exports);
 * - LayerNorm decomposed (opset < 17): ReduceMean(x), Sub(x, mean), …, Div, then scale and shift;
 * - RMSNorm decomposed (Llama): Pow(x, 2) or Mul(x, x), ReduceMean, …, Mul(x, 1/rms), then scale.
 */
export function findNorms(index: GraphIndex): NormMatch[] {
  const norms: NormMatch[] = [];
  for (const node of index.graph.node) {
    if (FUSED_NORMS.has(node.op_type)) {
      norms.push({ input: node.input[0], output: node.output[0], kind: node.op_type });
    } else if (node.op_type === 'ReduceMean') {
      const match = decomposedLayerNorm(index, node) ?? decomposedRmsNorm(index, node);
      if (match) norms.push(match);
    }
  }
  return norms;
}

/** ReduceMean(x) whose output is subtracted from x: the mean of a LayerNorm. */
function decomposedLayerNorm(index: GraphIndex, mean: OnnxNode): NormMatch | undefined {
  const x = mean.input[0];
  // Older exporters compute Sub(x, mean) twice, once for the variance and once to divide (opset 12 BERT).
  const centres = consumersOf(index, mean.output[0]).filter((n) => n.op_type === 'Sub' && n.input[0] === x);
  for (const centre of centres) {
    const centred = centre.output[0];
    const normalised = consumersOf(index, centred).find(
      (n) => (n.op_type === 'Div' && n.input[0] === centred) || (n.op_type === 'Mul' && !isSquare(n, centred)),
    );
    if (normalised) return { input: x, output: followAffine(index, normalised.output[0]), kind: 'LayerNorm (decomposed)' };
  }
  return undefined;
}

/** Mul(c, c): the square inside the variance, not the normalisation. */
function isSquare(node: OnnxNode, centred: string): boolean {
  return node.input[0] === centred && node.input[1] === centred;
}

/** ReduceMean(x²) with x not centred: the mean square of an RMSNorm. */
function decomposedRmsNorm(index: GraphIndex, meanSquare: OnnxNode): NormMatch | undefined {
  const square = index.producer.get(meanSquare.input[0]);
  if (!square) return undefined;
  let x: string | undefined;
  if (square.op_type === 'Pow' && scalarValue(index, square.input[1]) === 2) x = square.input[0];
  if (square.op_type === 'Mul' && square.input[0] === square.input[1]) x = square.input[0];
  if (x === undefined || isCentred(index, x)) return undefined;
  const inverseRms = downstream(index, meanSquare.output[0], 6);
  const normalised = consumersOf(index, x).find((n) => n.op_type === 'Mul' && inverseRms.has(otherInput(n, x) ?? ''));
  if (!normalised) return undefined;
  return { input: x, output: followAffine(index, normalised.output[0]), kind: 'RMSNorm (decomposed)' };
}

/** x = Sub(y, ReduceMean(y)): then a ReduceMean of x² is a LayerNorm's variance, not an RMSNorm. */
function isCentred(index: GraphIndex, x: string): boolean {
  const sub = index.producer.get(x);
  if (!sub || sub.op_type !== 'Sub') return false;
  const mean = index.producer.get(sub.input[1]);
  return mean !== undefined && mean.op_type === 'ReduceMean' && mean.input[0] === sub.input[0];
}

/** Tensors computed from `start` by at most `depth` single-input-dependent elementwise steps. */
function downstream(index: GraphIndex, start: string, depth: number): Set<string> {
  const reached = new Set<string>([start]);
  let frontier = [start];
  for (let step = 0; step < depth; step++) {
    const next: string[] = [];
    for (const tensor of frontier) {
      for (const node of consumersOf(index, tensor)) {
        if (!['Add', 'Sqrt', 'Div', 'Reciprocal', 'Cast', 'Pow'].includes(node.op_type)) continue;
        for (const output of node.output) if (!reached.has(output)) { reached.add(output); next.push(output); }
      }
    }
    frontier = next;
  }
  return reached;
}

/** Past the normalisation's scale (Mul by a weight), shift (Add of a bias) and dtype casts. */
function followAffine(index: GraphIndex, tensor: string): string {
  let current = tensor;
  for (;;) {
    const users = consumersOf(index, current);
    if (users.length !== 1) return current;
    const [user] = users;
    const other = otherInput(user, current);
    const affine = (user.op_type === 'Mul' || user.op_type === 'Add') && other !== undefined && isConstant(index, other);
    if (!affine && user.op_type !== 'Cast') return current;
    current = user.output[0];
  }
}
