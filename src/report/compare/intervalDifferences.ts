import { readQuantity, type LayerQuantity, type QuantityReading } from '../layerQuantities.js';
import { formatInterval, formatLag, formatNumber } from '../numberFormat.js';
import type { ComparedReport } from './comparedReport.js';

/** The window quantities whose intervals are compared: the population fit and the window's two summaries. */
const comparedQuantities: readonly LayerQuantity[] = ['halfDecayLag', 'lag75', 'a', 'b', 'c'];

/** A layer and quantity where a report's bootstrap interval and the first report's do not overlap. */
export interface IntervalDifference {
  label: string;
  layer: number;
  quantity: LayerQuantity;
  value: number | null;
  interval: readonly [number | null, number | null];
  reference: { value: number | null; interval: readonly [number | null, number | null] };
}

/**
 * Where each later report's windows differ from the first report's beyond their bootstrap intervals: the layers and
 * quantities (half-decay lag, lag75, a, b, c) whose two intervals do not overlap. This is what a user comparing a
 * quantized model with its original (on the same stimuli) asks: which differences are more than resampling noise.
 * A half-decay lag beyond maxLag (null) counts as larger than every finite lag. Undefined without intervals.
 */
export function intervalDifferences(reports: readonly ComparedReport[]): IntervalDifference[] | undefined {
  if (reports.some((r) => !r.report.bootstrap)) return undefined;
  const [first, ...others] = reports;
  const differences: IntervalDifference[] = [];
  for (const other of others) {
    for (const layer of other.report.layers) {
      const referenceLayer = first.report.layers.find((l) => l.layer === layer.layer);
      if (!referenceLayer) continue;
      for (const quantity of comparedQuantities) {
        const reading = readQuantity[quantity](layer);
        const reference = readQuantity[quantity](referenceLayer);
        if (!reading?.interval || !reference?.interval || overlap(reading.interval, reference.interval)) continue;
        differences.push({
          label: other.label, layer: layer.layer, quantity, value: reading.value, interval: reading.interval,
          reference: { value: reference.value, interval: reference.interval },
        });
      }
    }
  }
  return differences;
}

function overlap(x: NonNullable<QuantityReading['interval']>, y: NonNullable<QuantityReading['interval']>): boolean {
  const bound = (value: number | null) => value ?? Infinity;
  return bound(x[0]) <= bound(y[1]) && bound(y[0]) <= bound(x[1]);
}

/** The stdout section: one line per difference, or why there is none to show. */
export function formatIntervalDifferences(reports: readonly ComparedReport[]): string {
  const differences = intervalDifferences(reports);
  const title = `differences beyond the bootstrap intervals, against ${reports[0].label} (intervals that do not overlap):`;
  if (!differences) return `${title}\n  none can be shown: every report needs bootstrap intervals (iw estimate --bootstrap N)\n`;
  const stimuli = new Set(reports.map((r) => r.report.provenance.stimuliSha256));
  const caveat = stimuli.size > 1 ? '  (the reports were measured on different stimuli: their differences include the stimuli\'s)\n' : '';
  if (differences.length === 0) return `${title}\n${caveat}  none: every interval overlaps ${reports[0].label}'s\n`;
  const maxLag = reports[0].report.settings.maxLag;
  const shown = (value: number | null, quantity: LayerQuantity) => (quantity === 'halfDecayLag' ? formatLag(value, maxLag) : formatNumber(value));
  const lines = differences.map((d) =>
    `  layer ${d.layer}, ${d.quantity}: ${d.label} ${shown(d.value, d.quantity)} ${formatInterval(d.interval, maxLag)}, ` +
    `${reports[0].label} ${shown(d.reference.value, d.quantity)} ${formatInterval(d.reference.interval, maxLag)}`);
  return `${title}\n${caveat}${lines.join('\n')}\n`;
}
