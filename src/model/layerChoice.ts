import { UserError } from '../util/index.js';
import type { LayerTap } from './types.js';

/**
 * The one home of --layers checking: the requested layers, checked against those the model has, without repeats,
 * in order. A run (`oneWidth`) measures layers of one width: by default every layer of the residual stream's width,
 * and a last layer projected to another width (OPT-350m's project_out, which transformers reports as its last
 * hidden state) only in a run of its own (--layers with its index); `iw activations` reads any layers together.
 */
export function chooseLayers(model: { taps: readonly LayerTap[] }, requested: readonly number[] | undefined, { oneWidth = true } = {}): number[] {
  const available = model.taps.map((tap) => tap.layer);
  const widthOf = (layer: number) => model.taps.find((tap) => tap.layer === layer)?.width ?? model.taps[0].width;
  if (!requested) return oneWidth ? available.filter((layer) => widthOf(layer) === model.taps[0].width) : available;
  const missing = requested.filter((layer) => !available.includes(layer));
  if (missing.length > 0) {
    throw new UserError(`--layers: the model has no layer ${missing.join(', ')}; its layers are 0 to ${available[available.length - 1]} (see iw layers --model ...)`);
  }
  const chosen = [...new Set(requested)].sort((x, y) => x - y);
  const other = chosen.find((layer) => widthOf(layer) !== widthOf(chosen[0]));
  if (oneWidth && other !== undefined) {
    throw new UserError(`--layers: layer ${chosen[0]} is ${widthOf(chosen[0])} units wide and layer ${other} ${widthOf(other)} (see iw layers); one run measures layers of one width, so measure them in separate runs`);
  }
  return chosen;
}
