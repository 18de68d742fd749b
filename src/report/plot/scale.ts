/** A linear map from data to pixels, with "nice" tick values (1, 2, 2.5 or 5 × 10^k) covering the domain. */
export interface LinearScale {
  (value: number): number;
  domain: readonly [number, number];
  ticks: readonly number[];
}

/** Tick values covering [min, max] at a round step, about `count` of them; the domain grows to the outer ticks. */
export function niceTicks(min: number, max: number, count = 5, integer = false): number[] {
  if (min === max) [min, max] = min === 0 ? [0, 1] : [min - Math.abs(min) * 0.1, max + Math.abs(max) * 0.1];
  const rawStep = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rawStep));
  // The round step nearest the raw one (on a log scale), as d3's ticks do.
  let step = [1, 2, 2.5, 5, 10].map((m) => m * power).reduce((best, s) => (Math.abs(Math.log(s / rawStep)) < Math.abs(Math.log(best / rawStep)) ? s : best));
  if (integer) step = Math.max(1, Math.round(step));
  const first = Math.floor(min / step + 1e-9);
  const last = Math.max(first + 1, Math.ceil(max / step - 1e-9));
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(i * step);
  return ticks.map((t) => Number(t.toPrecision(12)));
}

/**
 * A scale over [min, max] onto [from, to] pixels. By default the domain grows to the nice ticks around the data;
 * with `exact` it is [min, max] as given; with `pad` it is [min, max] widened by that fraction of its span on each
 * side (so points at the edge are not cut), with only the ticks inside shown.
 */
export function linearScale(min: number, max: number, from: number, to: number, options: { count?: number; integer?: boolean; exact?: boolean; pad?: number } = {}): LinearScale {
  if (options.pad !== undefined) {
    const margin = ((max - min) || Math.abs(max) || 1) * options.pad;
    [min, max] = [min - margin, max + margin];
  }
  const ticks = niceTicks(min, max, options.count ?? 5, options.integer ?? false);
  const fixed = options.exact || options.pad !== undefined;
  const domain: [number, number] = fixed ? [min, max] : [Math.min(min, ticks[0]), Math.max(max, ticks[ticks.length - 1])];
  const shownTicks = ticks.filter((t) => t >= domain[0] - 1e-9 && t <= domain[1] + 1e-9);
  const span = domain[1] - domain[0] || 1;
  const scale = ((value: number) => from + ((value - domain[0]) / span) * (to - from)) as LinearScale;
  return Object.assign(scale, { domain, ticks: shownTicks });
}

/** The smallest and largest finite values, or the fallback when there are none. */
export function extent(values: readonly (number | null | undefined)[], fallback: [number, number] = [0, 1]): [number, number] {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return finite.length === 0 ? fallback : [Math.min(...finite), Math.max(...finite)];
}
