import { UserError } from '../../util/index.js';
import type { LayerTap } from '../types.js';
import type { OnnxModel, OnnxNode } from '../onnx/onnxProto.js';
import { indexGraph, type GraphIndex } from '../onnx/graphIndex.js';
import { userTaps } from './userTaps.js';
import { discoverTaps, type TapDiscoveryOptions } from './tapDiscovery.js';
import { discoverFusedTaps, isFusedGraph } from './fusedTaps.js';

/** Where each layer of one ONNX file is, and under which output name a session returns it (see planTaps). */
export interface TapPlan {
  taps: LayerTap[];
  /** layer → graph output name. */
  outputNames: Map<number, string>;
  /** For a merged decoder: which node is the If, and each branch's tap tensors by layer. */
  branched?: { nodeIndex: number; branchTensors: Map<string, string[]> };
}

export const INPUT_IDS = 'input_ids';

/** What planning needs: discovery's options, and the user's taps when given (--taps). */
export type PlanOptions = Omit<TapDiscoveryOptions, 'inputIds'> & { taps?: readonly string[] };

/** The user's taps when given, else the layers found by structure. */
function layerTaps(index: GraphIndex, options: PlanOptions & { inputIds: string }): LayerTap[] {
  return options.taps ? userTaps(index, options.taps, options) : discoverLayers(index, options);
}

/**
 * The layers of one graph found by structure: a graph whose residual adds ONNX Runtime fused into its norms
 * (onnxruntime-genai's builder, ORT's transformer optimizer) is read by fusedTaps.ts, every other by tapDiscovery.ts.
 */
function discoverLayers(index: GraphIndex, options: TapDiscoveryOptions): LayerTap[] {
  if (!isFusedGraph(index)) return discoverTaps(index, options);
  return discoverFusedTaps(index, {
    ...options,
    refuse: (found) => {
      throw new UserError(`${options.fileLabel}: cannot find its layers in its fused graph (${found}); looked for ${FUSED_LOOKED_FOR}`);
    },
  });
}

const FUSED_LOOKED_FOR =
  'an EmbedLayerNormalization or a Gather of input_ids, then a chain of SkipLayerNormalization / ' +
  'SkipSimplifiedLayerNormalization nodes each adding the previous one\'s residual sum (output 3), ending in one ' +
  'without output 3 (the final norm)';

/**
 * Where each layer of one ONNX file is, and under which graph-output name a session will return it.
 * A plain graph returns a tap under its own tensor name. A merged decoder (decoder_model_merged.onnx) holds
 * its layers inside both branches of an If node; there each branch also returns the tap, the If node gets one
 * more output per layer, and the graph returns that output under the name `iw.layer.<i>`.
 */
export function planTaps(model: OnnxModel, options: PlanOptions): TapPlan {
  const graph = model.graph;
  if (!graph.input.some((v) => v.name === INPUT_IDS)) {
    throw new UserError(`${options.fileLabel}: the graph has no ${INPUT_IDS} input (inputs: ${graph.input.map((v) => v.name).join(', ')}); iw runs decoder language models`);
  }
  const branchIndex = graph.node.findIndex(isBranchingDecoder);
  if (branchIndex < 0) {
    const taps = layerTaps(indexGraph(graph), { ...options, inputIds: INPUT_IDS });
    return { taps, outputNames: new Map(taps.map((t) => [t.layer, t.tensor])) };
  }
  return planBranchedTaps(model, branchIndex, options);
}

/** An If node whose branches run the decoder (they read input_ids from the outer scope). */
function isBranchingDecoder(node: OnnxNode): boolean {
  return node.op_type === 'If' && node.attribute.some((a) => a.g?.node.some((n) => n.input.includes(INPUT_IDS)));
}

function planBranchedTaps(model: OnnxModel, nodeIndex: number, options: PlanOptions): TapPlan {
  const node = model.graph.node[nodeIndex];
  const branchTensors = new Map<string, string[]>();
  let taps: LayerTap[] | undefined;
  for (const attribute of node.attribute) {
    if (!attribute.g) continue;
    const found = layerTaps(indexGraph(attribute.g, model.graph.initializer), {
      ...options,
      inputIds: INPUT_IDS,
      fileLabel: `${options.fileLabel} (${attribute.name})`,
    });
    if (taps && found.length !== taps.length) {
      throw new UserError(`${options.fileLabel}: its If branches hold different numbers of layers (${taps.length} and ${found.length})`);
    }
    taps ??= found;
    branchTensors.set(attribute.name, found.map((t) => t.tensor));
  }
  if (!taps) throw new UserError(`${options.fileLabel}: its If node has no branches`);
  return { taps, outputNames: new Map(taps.map((t) => [t.layer, `iw.layer.${t.layer}`])), branched: { nodeIndex, branchTensors } };
}
