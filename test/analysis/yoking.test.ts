import { describe, expect, it } from 'vitest';
import { bootstrapYoking, lagZeroMedians, yokingOfLayer } from '../../src/analysis/index.js';
import { UserError } from '../../src/util/errors.js';
import { createRandom } from '../../src/util/random.js';
import { plantedDifferences, plantedRun } from './synthetic.js';

/**
 * Three sentences of L = 4 words (N = 12, starts 0, 4, 8), maxLag = L − 2 = 2, lag profile g = 1, 0.5, 0.25.
 * A swap's effect on a word in a later sentence is multiplied by ρ_u (ρ = 1: windows by distance alone;
 * ρ < 1: cut at the boundary). Worked by hand from F(k) = mean over Δ = 0..2 of [D(k, k+Δ) − D(k−1, k−1+Δ)] / m:
 *   onset k = 4: swap at 4 reads words 4, 5, 6 (same sentence): 1, 0.5, 0.25;
 *                swap at 3 reads 3 (same), 4, 5 (next):        1, 0.5ρ, 0.25ρ  → F = (1 − ρ)(0.5 + 0.25)/3 = (1 − ρ)/4
 *   k = 5: both swaps stay inside sentence 2                                   → F = 0
 *   k = 6: swap at 6 reaches word 8 (next) at Δ = 2; swap at 5 does not        → F = −(1 − ρ)·0.25/3 = −(1 − ρ)/12
 *   k = 7: swap at 7 crosses at Δ = 1, 2; swap at 6 at Δ = 2 only              → F = −(1 − ρ)·0.5/3 = −(1 − ρ)/6
 * and the same pattern repeats from k = 1 and k = 8 (F defined for 1 ≤ k ≤ N − L + 1 = 9). m_u = scale_u.
 * Y_u = mean of F over onsets 4 and 8 = (1 − ρ)/4; over lags 1..2 only: (1 − ρ)(0.5 + 0.25)/2 = 3(1 − ρ)/8.
 */
const L = 4, N = 12, MAX_LAG = 2;
const design = { sentenceLength: L, sentenceStarts: [0, 4, 8] };
const profile = [1, 0.5, 0.25];
const sentenceOf = (word: number) => Math.floor(word / L);
const resetWindow = (rho: (u: number) => number) => (u: number, lag: number, k: number) =>
  profile[lag] * (sentenceOf(k + lag) > sentenceOf(k) ? rho(u) : 1);
/** F for ρ = 0 at k = 0..11 (NaN where undefined), from the table above; other ρ scale it by (1 − ρ). */
const baseProfile = [NaN, 0, -1 / 12, -1 / 6, 1 / 4, 0, -1 / 12, -1 / 6, 1 / 4, 0, NaN, NaN];

describe('structure yoking (docs/method.md §6)', () => {
  it('gives the hand-computed F profile and Y for windows cut at sentence boundaries', () => {
    const rhos = [0.2, 1, 0, 0.6];
    const differences = plantedDifferences({
      wordCount: N, maxLag: MAX_LAG, width: 5,
      window: resetWindow((u) => rhos[u] ?? 1),
      scale: (u) => (u === 4 ? 0 : [2, 0.5, 1, 3][u]), // unit 4 never moves: m = 0, excluded
    });
    const yoking = yokingOfLayer(differences, design);
    expect(yoking.onsets).toEqual([4, 8]);
    expect(yoking.excludedUnits).toBe(1);
    // Y_u = (1 − ρ_u)/4 = 0.2, 0, 0.25, 0.1
    rhos.forEach((rho, u) => expect(yoking.unitY[u]).toBeCloseTo((1 - rho) / 4, 12));
    rhos.forEach((rho, u) => expect(yoking.unitYFromLagOne[u]).toBeCloseTo((3 * (1 - rho)) / 8, 12));
    expect(Number.isNaN(yoking.unitY[4])).toBe(true);
    // sorted Y: 0, 0.1, 0.2, 0.25 → median 0.15; type-7 quartiles at positions 0.75 and 2.25: 0.075, 0.2125
    expect(yoking.y.median).toBeCloseTo(0.15, 12);
    expect(yoking.y.q1).toBeCloseTo(0.075, 12);
    expect(yoking.y.q3).toBeCloseTo(0.2125, 12);
    expect(yoking.y.count).toBe(4);
    // population F = mean over the four units of (1 − ρ_u) × base = 0.55 × base
    baseProfile.forEach((base, k) => {
      if (Number.isNaN(base)) expect(Number.isNaN(yoking.fProfile[k])).toBe(true);
      else expect(yoking.fProfile[k]).toBeCloseTo(0.55 * base, 12);
    });
  });

  it('gives Y = 0 and a flat F for windows that depend on distance alone', () => {
    const differences = plantedDifferences({
      wordCount: N, maxLag: MAX_LAG, width: 3,
      window: (u, lag) => [1, 0.3 + 0.1 * u, 0.1][lag],
      scale: (u) => 1 + u,
    });
    const yoking = yokingOfLayer(differences, design);
    for (let u = 0; u < 3; u++) expect(yoking.unitY[u]).toBeCloseTo(0, 12);
    for (let k = 1; k <= 9; k++) expect(yoking.fProfile[k]).toBeCloseTo(0, 12);
  });

  it('separates a lag-0 jump at onsets from integration: the lags-1..L−2 control stays 0', () => {
    // D(k, k) = 1 + J at sentence onsets and 1 elsewhere (m = 1); lags ≥ 1 depend on distance alone.
    // Onset k: F = (J + 0 + 0)/3, so Y = J/3; over lags 1..2 the difference is 0.
    const jump = 0.6;
    const differences = plantedDifferences({
      wordCount: N, maxLag: MAX_LAG, width: 1,
      window: (_u, lag, k) => (lag === 0 ? 1 + (k % L === 0 ? jump : 0) : profile[lag]),
    });
    const yoking = yokingOfLayer(differences, design);
    expect(yoking.unitY[0]).toBeCloseTo(jump / 3, 12);
    expect(yoking.unitYFromLagOne[0]).toBeCloseTo(0, 12);
  });

  it('takes m_u as the median of D(k, k) over swap positions with a swap', () => {
    const differences = plantedDifferences({ wordCount: 5, maxLag: 1, width: 1, window: (_u, lag, k) => (lag === 0 ? [3, 1, 2, 5, 100][k] : 0.5), missingSwaps: [4] });
    // D(k, k) = 3, 1, 2, 5 (k = 4 has no swap): median (2 + 3)/2
    expect(lagZeroMedians(differences)[0]).toBeCloseTo(2.5, 12);
  });

  it('refuses a band too short for the sentences and onsets that F cannot reach', () => {
    const short = plantedDifferences({ wordCount: N, maxLag: 1, width: 1, window: () => 1 });
    expect(() => yokingOfLayer(short, design)).toThrow(UserError);
    expect(() => yokingOfLayer(short, design)).toThrow(/needs --max-lag of at least 2 \(L − 2\); it is 1/);
    const differences = plantedDifferences({ wordCount: N, maxLag: MAX_LAG, width: 1, window: () => 1 });
    expect(() => yokingOfLayer(differences, { sentenceLength: L, sentenceStarts: [0, 4, 10] })).toThrow(/sentence start 10 .* N − L \+ 1 = 9/);
  });

  it('gives bootstrap intervals over sequences that cover the true median Y at about 90 %', () => {
    // four units with ρ = 0.2, 1, 0, 0.6: true median Y = 0.15 (see above); 20 % per-entry noise, 30 sequences
    const rhos = [0.2, 1, 0, 0.6];
    const runs = 100;
    let covered = 0;
    for (let run = 0; run < runs; run++) {
      const kept = plantedRun({
        wordCount: N, maxLag: MAX_LAG, width: 4, sequences: 30, layers: [0, 3], noise: 0.2, random: createRandom(run),
        keep: 'sequences', window: resetWindow((u) => rhos[u]), scale: (u) => 1 + u,
      });
      const [, layerThree] = bootstrapYoking(kept, design, { replicates: 100, confidence: 0.9, seed: 7_000 + run });
      expect(layerThree.layer).toBe(3);
      if (layerThree.medianY.lower <= 0.15 && 0.15 <= layerThree.medianY.upper) covered++;
    }
    // binomial sd at n = 100: 0.03; 3 sd = 0.09
    expect(Math.abs(covered / runs - 0.9)).toBeLessThan(0.09);
  });
});
