import { UserError } from '../../util/index.js';
import type { ForwardInput, ForwardOutput, ForwardRequest, LayerTap } from '../types.js';
import type { GraphIndex } from '../onnx/graphIndex.js';
import { embeddingWidth, findEmbeddingGather } from '../onnx/embeddingLookup.js';
import { padBatch } from '../session/batching.js';

/**
 * The way out when discovery cannot find a graph's layers, or for another reading of them (--taps): tensors the
 * user names, read as layers 0, 1, … in the order given. Each is checked here to exist in the graph; their width
 * is checked on a first pass (checkTapWidths), since an ONNX file rarely records the shapes of inner tensors.
 */
export function userTaps(index: GraphIndex, names: readonly string[], options: { width?: number; inputIds: string; fileLabel: string }): LayerTap[] {
  const missing = names.filter((name) => !index.producer.has(name) && !index.graphInputs.has(name));
  if (missing.length > 0) {
    throw new UserError(`--taps: ${options.fileLabel} has no tensor ${missing.map((n) => `"${n}"`).join(', ')}${closestName(index, missing[0])}; a tap is the output of a node of the graph (iw layers --json lists the ones iw finds)`);
  }
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) throw new UserError(`--taps: "${repeated}" is given twice; give one tensor per layer`);
  const width = options.width ?? tokenEmbeddingWidth(index, options.inputIds);
  if (width === undefined) throw new UserError(`--taps: ${options.fileLabel}: no width to check the taps against (its config.json gives no hidden size and the embedding matrix is not readable)`);
  return names.map((tensor, layer): LayerTap => ({ layer, tensor, width, role: layer === 0 ? 'embedding' : 'block' }));
}

/** Runs two tokens through the model and refuses any tap whose values are not `width` per token. */
export async function checkTapWidths(
  taps: readonly LayerTap[],
  acceptsPositionIds: boolean,
  forward: (input: ForwardInput, request: ForwardRequest) => Promise<ForwardOutput>,
): Promise<void> {
  const tokens = 2;
  const output = await forward(padBatch([[0, 0]], acceptsPositionIds), { layers: taps.map((t) => t.layer) });
  for (const tap of taps) {
    const values = output.taps.get(tap.layer)?.length ?? 0;
    if (values !== tokens * tap.width) {
      throw new UserError(`--taps: tensor "${tap.tensor}" holds ${values / tokens} values per token, not the residual stream's ${tap.width}`);
    }
  }
}

function tokenEmbeddingWidth(index: GraphIndex, inputIds: string): number | undefined {
  const gather = findEmbeddingGather(index, inputIds);
  return gather ? embeddingWidth(index, gather) : undefined;
}

/** ` (closest: "<name>")`: the node output sharing the longest start with `name`, to catch a typo or a renamed export. */
function closestName(index: GraphIndex, name: string): string {
  let best = '';
  let bestLength = 0;
  for (const tensor of index.producer.keys()) {
    let length = 0;
    while (length < name.length && length < tensor.length && name[length] === tensor[length]) length++;
    if (length > bestLength) [best, bestLength] = [tensor, length];
  }
  return bestLength > 0 ? ` (closest: "${best}")` : '';
}
