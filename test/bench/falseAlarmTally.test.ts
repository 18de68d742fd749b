import { describe, expect, it } from 'vitest';
import { tallyFalseAlarms } from '../../bench/falseAlarmTally.js';
import type { Report } from '../../src/report/index.js';
import { createRandom } from '../../src/util/random.js';
import { syntheticReport } from '../report/helpers/syntheticReport.js';

/**
 * Reruns drawn from a known sampling distribution: every quantity an independent normal draw μ + σ·Z around the
 * baseline's planted value, with the 95 % interval a normal estimator has, value ± 1.96σ. Closed form for two such
 * reruns: the change is N(0, 2σ²), so iw check's rule |change| ≤ √2 · (reach = half width = 1.96σ) fails with probability 5 %,
 * and the old rule, "inside the baseline's interval" (|change| ≤ 1.96σ), with P(|Z| > 1.96/√2) = 16.6 %.
 */
function plantedReruns(count: number, seed: number): Report[] {
  const random = createRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const planted = syntheticReport({ bootstrap: true });
  return Array.from({ length: count }, () => {
    const report = structuredClone(planted);
    for (const layer of report.layers) {
      const draw = (value: number, sigma: number): [number, [number, number]] => {
        const estimate = value + sigma * normal();
        return [estimate, [estimate - 1.96 * sigma, estimate + 1.96 * sigma]];
      };
      const intervals = layer.intervals!;
      [layer.fit.population.a, intervals.a] = draw(layer.fit.population.a, 0.05);
      [layer.fit.population.b, intervals.b] = draw(layer.fit.population.b, 0.02);
      [layer.fit.population.c, intervals.c] = draw(layer.fit.population.c, 0.01);
      [layer.summary.lag75, intervals.lag75] = draw(layer.summary.lag75, 0.3);
      [layer.summary.halfDecayLag, intervals.halfDecayLag] = draw(layer.summary.halfDecayLag ?? 10, 0.2);
      [layer.fit.units.median.a, intervals.unitMedian.a] = draw(layer.fit.units.median.a!, 0.04);
      [layer.fit.units.median.b, intervals.unitMedian.b] = draw(layer.fit.units.median.b!, 0.03);
      [layer.fit.units.median.c, intervals.unitMedian.c] = draw(layer.fit.units.median.c, 0.02);
    }
    return report;
  });
}

describe('the false-alarm measurement of iw check (bench/checkFalseAlarms.ts)', () => {
  it('finds the nominal 5 % for reruns of a normal estimator, and 16.6 % under the old "inside the interval" rule', () => {
    const tally = tallyFalseAlarms(plantedReruns(30, 7));
    expect(tally.pairs).toBe(30 * 29);
    expect(tally.exact.checks).toBe(0);
    expect(tally.interval.checks).toBe(30 * 29 * 9 * 8);
    const rate = tally.interval.drifted / tally.interval.checks;
    const old = tally.alternatives.insideInterval.drifted / tally.alternatives.insideInterval.checks;
    // 62,640 checks, but pairs share their reports: the tolerance is a few standard errors of 30 independent draws.
    expect(rate).toBeGreaterThan(0.035);
    expect(rate).toBeLessThan(0.065);
    expect(old).toBeGreaterThan(0.14);
    expect(old).toBeLessThan(0.19);
    // Intervals centred on their estimates: reach on either side = half the width, so the three rules agree.
    expect(tally.alternatives.sideReach.drifted).toBe(tally.interval.drifted);
    expect(tally.alternatives.halfWidth.drifted).toBe(tally.interval.drifted);
    expect(tally.selfChecksFailing).toBe(0);
  });
});
