import { UserError } from '../util/errors.js';
import type { LayerTap } from './types.js';

/**
 * The one home of --layers checking: the requested layers, checked against those the model has (all of them by
 * default), without repeats, in order.
 */
export function chooseLayers(model: { taps: readonly LayerTap[] }, requested: readonly number[] | undefined): number[] {
  const available = model.taps.map((tap) => tap.layer);
  if (!requested) return available;
  const missing = requested.filter((layer) => !available.includes(layer));
  if (missing.length > 0) {
    throw new UserError(`--layers: the model has no layer ${missing.join(', ')}; its layers are 0 to ${available[available.length - 1]} (see iw layers --model ...)`);
  }
  return [...new Set(requested)].sort((x, y) => x - y);
}
