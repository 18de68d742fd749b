/**
 * Colours that survive print and colour-blind readers: depth runs along viridis (stopped before its pale yellow
 * end, which vanishes on white), and separate reports take Okabe & Ito's categorical palette.
 */
const viridisStops = ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'];
const VIRIDIS_END = 0.82;

/** Colour for a position 0..1 along depth (0 = first layer). */
export function depthColor(fraction: number): string {
  const t = Math.min(1, Math.max(0, fraction)) * VIRIDIS_END * (viridisStops.length - 1);
  const i = Math.min(viridisStops.length - 2, Math.floor(t));
  return mix(viridisStops[i], viridisStops[i + 1], t - i);
}

/** Colour for a layer among the layers shown. */
export function layerColor(layer: number, firstLayer: number, lastLayer: number): string {
  return depthColor(lastLayer > firstLayer ? (layer - firstLayer) / (lastLayer - firstLayer) : 0);
}

const okabeIto = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000'];

export function seriesColor(index: number): string {
  return okabeIto[index % okabeIto.length];
}

function mix(from: string, to: string, t: number): string {
  const channel = (hex: string, i: number) => parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16);
  const parts = [0, 1, 2].map((i) => Math.round(channel(from, i) + (channel(to, i) - channel(from, i)) * t));
  return `#${parts.map((p) => p.toString(16).padStart(2, '0')).join('')}`;
}
