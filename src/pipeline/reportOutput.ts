import type { ReportInput } from '../report/index.js';
import { OUTPUT_WINDOW, PREDICTION_DIVERGENCE } from '../measure/index.js';
import type { LayerFindings } from './analyzeLayers.js';
import { finiteOrNull, interval, lagInterval, reportComparison } from './reportLayer.js';

type ReportOutputInput = NonNullable<ReportInput['output']>;
type ReadoutWindowInput = ReportOutputInput['divergence'];

/**
 * The report's `output` (docs/method.md §9) from the analysis of the read-out accumulator, whose two quantities are
 * analysed as layers of one unit; or a reason it cannot be reported (a window that could not be formed or fitted).
 */
export function reportOutput(findings: readonly LayerFindings[]): ReportOutputInput | string {
  const output = findings.find((f) => f.layer === OUTPUT_WINDOW), divergence = findings.find((f) => f.layer === PREDICTION_DIVERGENCE);
  if (!output || !divergence) throw new Error('reportOutput: the read-out findings lack a quantity');
  const outputWindow = readoutWindow(output), divergenceWindow = readoutWindow(divergence);
  if (typeof outputWindow === 'string') return `the output window: ${outputWindow}`;
  if (typeof divergenceWindow === 'string') return `the prediction divergence: ${divergenceWindow}`;
  return {
    ...outputWindow,
    ...(output.comparison ? { comparison: reportComparison(output.comparison) } : {}),
    divergence: divergenceWindow,
  };
}

function readoutWindow(findings: LayerFindings): ReadoutWindowInput | string {
  const { windows, populationFit: fit } = findings.windowAnalysis;
  if (!windows.populationWindow) return 'its lag-0 effect was zero at some measured word, so no window could be formed';
  if (!fit) return 'its fit failed';
  const side: ReadoutWindowInput = {
    window: Array.from(windows.populationWindow),
    fit: { ...fit.parameters, sse: fit.sse },
    identified: fit.identified,
    summary: { halfDecayLag: finiteOrNull(fit.halfDecayLag), lag75: fit.lag75 },
  };
  if (findings.intervals) {
    const { population } = findings.intervals;
    side.intervals = {
      a: interval(population.a), b: interval(population.b), c: interval(population.c),
      halfDecayLag: lagInterval(population.halfDecayLag), lag75: interval(population.lag75) ?? [0, 0],
    };
  }
  return side;
}
