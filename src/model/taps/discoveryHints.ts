import type { GraphIndex } from '../onnx/graphIndex.js';
import type { NormMatch } from './normPatterns.js';
import { dataConsumers } from './residualStream.js';

/**
 * What a refusal names besides what was missing: the node nearest to what discovery looked for, so that a user
 * (or an issue report) can see where the structure departed from the layouts iw knows, and pick taps by hand.
 */

/** The first Gather fed (through any ops) by the token ids, or what reads the ids. */
export function closestEmbedding(index: GraphIndex, inputIds: string): string {
  const readers = dataConsumers(index, inputIds);
  if (readers.length === 0) return `nothing reads ${inputIds}`;
  const seen = new Set([inputIds]);
  const frontier = [inputIds];
  for (let tensor = frontier.shift(); tensor !== undefined && seen.size < 2_000; tensor = frontier.shift()) {
    for (const node of dataConsumers(index, tensor)) {
      if (node.op_type.startsWith('Gather')) return `closest: ${node.op_type} ${describeNode(node.name ?? '', node.output[0])}, reached from ${inputIds} through ${tensor}`;
      for (const output of node.output) if (output && !seen.has(output)) { seen.add(output); frontier.push(output); }
    }
  }
  return `${inputIds} is read by ${readers.map((n) => `${n.op_type} ${n.name}`).join(', ')}`;
}

/** Where the walk along the stream stopped, and which nodes read that tensor. */
export function streamEnd(index: GraphIndex, stream: readonly string[]): string {
  const last = stream[stream.length - 1];
  const readers = dataConsumers(index, last).map((n) => `${n.op_type} ${n.name}`);
  return `the stream stops at ${last}, read by ${readers.length > 0 ? readers.join(', ') : 'nothing'}`;
}

/** The first normalisation of the graph, off the stream: the closest node to a stream norm. */
export function closestNorm(index: GraphIndex, normsByInput: Map<string, NormMatch[]>): string {
  const first = [...normsByInput.values()].flat()[0];
  if (!first) return 'the graph has no normalisation iw recognises';
  const node = index.producer.get(first.output);
  return `closest: a ${first.kind} of ${first.input}${node ? ` (${node.name})` : ''}, not on that stream`;
}

function describeNode(name: string, output: string): string {
  return name ? `${name} (output ${output})` : `output ${output}`;
}
