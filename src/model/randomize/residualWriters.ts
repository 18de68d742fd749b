import type { OnnxNode } from '../onnx/onnxProto.js';
import { consumersOf, isConstant, otherInput, type GraphIndex } from '../onnx/graphIndex.js';
import { findEmbeddingGather } from '../onnx/embeddingLookup.js';
import { storedInitializer } from './graphScopes.js';
import { carriedOn, widthProjection } from '../taps/residualStream.js';

/** The weights that write into the residual stream (see findResidualWriters). */
export interface ResidualWriters {
  /** Initializer names of projection weights whose output is added to the stream. */
  projections: Set<string>;
  /** Initializer names of tables whose lookup is added to the stream. */
  positionTables: Set<string>;
}

/** Steps a term may pass through between its projection and the residual Add. */
const RESHAPING = new Set(['Reshape', 'Transpose', 'Cast', 'Identity', 'Squeeze', 'Unsqueeze', 'Flatten', 'Dropout']);

/**
 * The weights that write into the residual stream, found by walking it: from the token embedding (the Gather
 * of input_ids) along each Add that takes the stream and a computed term. Each such term is traced back to
 * what made it: a projection (MatMul/Gemm: GPT-2's attn.c_proj and mlp.c_proj, Llama's o_proj and down_proj)
 * or a table lookup (a Gather: the position embedding). Which projections write into the stream is what
 * GPT-2's scaled initialisation depends on; a table added there is the position embedding, whereas a table
 * gathered elsewhere (a RoPE cache) is not.
 */
export function findResidualWriters(scopes: readonly GraphIndex[], inputIds: string): ResidualWriters {
  const writers: ResidualWriters = { projections: new Set(), positionTables: new Set() };
  for (const index of scopes) {
    const embedding = findEmbeddingGather(index, inputIds);
    if (!embedding) continue;
    // OPT-350m projects its lookup to the stream's width (project_in) before the positions are added.
    const start = widthProjection(index, embedding.output[0])?.output ?? embedding.output[0];
    for (const term of residualTerms(index, start)) {
      const source = termSource(index, term);
      if (source?.kind === 'projection') writers.projections.add(source.weight);
      if (source?.kind === 'table') writers.positionTables.add(source.weight);
    }
  }
  return writers;
}

/** The computed terms added to the stream, in order, from the embedding lookup to the final norm's input. */
function residualTerms(index: GraphIndex, start: string): string[] {
  const terms: string[] = [];
  const seen = new Set([start]);
  let tensor = start;
  for (;;) {
    const next = nextStep(index, tensor);
    if (!next || seen.has(next.output)) return terms;
    if (next.term) terms.push(next.term);
    seen.add(next.output);
    tensor = next.output;
  }
}

/** The stream's next tensor (as tapDiscovery walks it: residualStream.ts), with the term an Add brought in. */
function nextStep(index: GraphIndex, tensor: string): { output: string; term?: string } | undefined {
  const residualAdd = consumersOf(index, tensor).find((n) => n.op_type === 'Add' && !isStored(index, otherInput(n, tensor) ?? tensor));
  if (residualAdd) return { output: residualAdd.output[0], term: otherInput(residualAdd, tensor) };
  const carried = carriedOn(index, tensor);
  return carried === undefined ? undefined : { output: carried };
}

function isStored(index: GraphIndex, tensor: string): boolean {
  return isConstant(index, tensor) || storedInitializer(index, tensor) !== undefined;
}

type TermSource = { kind: 'projection' | 'table'; weight: string };

/** Back from a residual term through reshapes and a bias add to the projection or lookup that made it. */
function termSource(index: GraphIndex, term: string): TermSource | undefined {
  let tensor = term;
  for (let depth = 0; depth < 12; depth++) {
    const node: OnnxNode | undefined = index.producer.get(tensor);
    if (!node) return undefined;
    if (node.op_type === 'MatMul' || node.op_type === 'Gemm') return storedWeight(index, node, 'projection');
    if (node.op_type === 'Gather') return storedWeight(index, node, 'table', [0]);
    if (RESHAPING.has(node.op_type)) {
      tensor = node.input[0];
    } else if (node.op_type === 'Add') {
      const computed = node.input.filter((input) => !isStored(index, input));
      if (computed.length !== 1) return undefined; // not a bias add
      tensor = computed[0];
    } else {
      return undefined;
    }
  }
  return undefined;
}

function storedWeight(index: GraphIndex, node: OnnxNode, kind: TermSource['kind'], positions = [1, 0]): TermSource | undefined {
  for (const position of positions) {
    const stored = node.input[position] ? storedInitializer(index, node.input[position]) : undefined;
    if (stored) return { kind, weight: stored.name };
  }
  return undefined;
}
