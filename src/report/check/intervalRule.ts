/**
 * How far a rerun may move a quantity before `iw check` calls it a drift, judged by the baseline's bootstrap
 * interval [L, U] around its estimate B (docs/check.md derives it and gives the false-alarm rate measured with
 * bench/checkFalseAlarms.ts):
 *
 *     within  ⇔  |report − B| ≤ √2 · max(reach of the interval from B on the side of the change, (U − L) / 2)
 *
 * A rerun with another seed draws new stimuli and a new bootstrap, so its estimate and the baseline's are two
 * independent draws of one estimator: their difference has √2 times the spread of one estimate, and an
 * interval's reach from its estimate (U − B above, B − L below) is how far one estimate spreads on that side at
 * the interval's level. The reach on the side of the change keeps what a percentile interval knows about a
 * skewed, bounded or two-moded estimator (a fit parameter at its bound, a half-decay lag that jumps between two
 * fits); half the width stands in where the reach is short or negative, because a percentile interval need not
 * contain its own estimate (bias, few replicates). A report equal to its baseline always passes.
 *
 * A lag interval's null bound ("beyond maxLag") and a null lag count as maxLag, the distance convention of
 * half-decay lags.
 */
export function intervalAllowance(interval: readonly [number | null, number | null], baseline: number | null, value: number | null, maxLag: number): number {
  const [low, high] = interval.map((bound) => bound ?? maxLag);
  const [base, report] = [baseline ?? maxLag, value ?? maxLag];
  const reach = report >= base ? high - base : base - low;
  return Math.SQRT2 * Math.max(reach, (high - low) / 2, 0);
}
