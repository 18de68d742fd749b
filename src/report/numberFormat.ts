/**
 * Numbers for people (tables, plot ticks, captions): three significant digits, no exponent for the ranges iw
 * produces, "–" for a missing value. Files meant for programs (JSON, CSV) keep full precision instead.
 */
export function formatNumber(value: number | null | undefined, significant = 3): string {
  if (value === null || value === undefined) return '–';
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  if (magnitude < -4 || magnitude > 6) return value.toExponential(significant - 1);
  const decimals = Math.max(0, significant - 1 - magnitude);
  return trimZeros(value.toFixed(decimals));
}

/** An interval as [lo, hi]; a null bound of a lag interval means "beyond maxLag". */
export function formatInterval(interval: readonly [number | null, number | null] | undefined, maxLag?: number): string {
  if (!interval) return '';
  const bound = (value: number | null) => (value === null ? `>${maxLag ?? 'max'}` : formatNumber(value));
  return `[${bound(interval[0])}, ${bound(interval[1])}]`;
}

/** A lag that may lie beyond maxLag (null). */
export function formatLag(value: number | null, maxLag: number): string {
  return value === null ? `>${maxLag}` : formatNumber(value);
}

/** A signed change, e.g. +0.012 or −3.1. */
export function formatChange(value: number): string {
  return value > 0 ? `+${formatNumber(value)}` : formatNumber(value);
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
