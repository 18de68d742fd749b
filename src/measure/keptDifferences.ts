import type { LayerDifferences } from './layerDifferences.js';

/**
 * Differences kept apart by resampling unit (a sequence, or a group of sequences), so D can be formed again
 * from any weighting of them (bootstrap replicates, held-out halves) without running a model again.
 */
export interface KeptDifferences {
  /** Model layers held, in order. */
  readonly layers: readonly number[];
  readonly wordCount: number;
  readonly maxLag: number;
  readonly width: number;
  /** Number of resampling units (0 when only pooled sums were kept). */
  readonly partCount: number;
  /** What a resampling unit is: one sequence, or a group of sequences dealt by a seeded shuffle; 'pooled': none kept. */
  readonly partKind: 'pooled' | 'sequences' | 'groups';
  /**
   * D of `layer` formed from the parts with weight w_p: D(k, ·) = Σ_p w_p·sum_p(k, ·) / Σ_p w_p·count_p(k),
   * where sum_p and count_p are part p's summed differences and swap count at k. Weights are multiplicities
   * (a bootstrap's resample counts, or 0/1 for a half). Lags above `lagLimit` (default maxLag) are left out, and
   * entries whose measured word k + lag is below `firstWord` (default 0) are not formed (NaN): windows read no
   * word before minSwap + maxLag, and a bootstrap forms D once per replicate and layer.
   */
  formLayer(layer: number, weights: ArrayLike<number>, lagLimit?: number, firstWord?: number): LayerDifferences;
  /**
   * formLayer's D handed to `use` and returned what it returns: D is formed in a buffer reused from call to call,
   * so it must not be kept past `use`. For loops that reduce D at once (a bootstrap forms one per replicate and
   * layer): a fresh D of a 150-word run is 6 MB of new memory, and faulting it in cost more than forming it.
   */
  useLayer<T>(layer: number, weights: ArrayLike<number>, use: (differences: LayerDifferences) => T, lagLimit?: number, firstWord?: number): T;
}
