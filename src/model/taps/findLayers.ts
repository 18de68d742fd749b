import type { LayerTap, ResolvedModel } from '../types.js';
import { readTapPlan } from '../session/tappedSession.js';
import { blockCount, hiddenSize } from '../hub/modelConfig.js';

/** The layers of a resolved model, found in its ONNX graph without opening a session (or the user's `taps`, checked to exist). */
export async function findLayers(resolved: ResolvedModel, taps?: readonly string[]): Promise<LayerTap[]> {
  const plan = await readTapPlan(resolved.onnxPath, { width: hiddenSize(resolved.config), expectedBlocks: blockCount(resolved.config), taps });
  return plan.taps;
}
