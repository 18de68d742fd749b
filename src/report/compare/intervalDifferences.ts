import { readQuantity, readReadoutQuantity, windowQuantities, type QuantityReading, type WindowQuantity } from '../layerQuantities.js';
import { formatInterval, formatLag, formatNumber } from '../numberFormat.js';
import { readoutSides } from '../reportParts.js';
import type { ComparedReport } from './comparedReport.js';

/** A layer (or the output read-out's window) and quantity where a report's bootstrap interval and the first report's do not overlap. */
export interface IntervalDifference {
  label: string;
  /** A layer's index, or `output` / `divergence` for the output read-out's two windows (as in compare.csv). */
  layer: number | string;
  quantity: WindowQuantity;
  value: number | null;
  interval: readonly [number | null, number | null];
  reference: { value: number | null; interval: readonly [number | null, number | null] };
}

/**
 * Where each later report's windows differ from the first report's beyond their bootstrap intervals: the layers (and
 * the output read-out's windows) and quantities (a, b, c, half-decay lag, lag75) whose two intervals do not overlap. This is what a user comparing a
 * quantized model with its original (on the same stimuli) asks: which differences are more than resampling noise.
 * A half-decay lag beyond maxLag (null) counts as larger than every finite lag. Undefined without intervals.
 */
export function intervalDifferences(reports: readonly ComparedReport[]): IntervalDifference[] | undefined {
  if (reports.some((r) => !r.report.bootstrap)) return undefined;
  const [first, ...others] = reports;
  const differences: IntervalDifference[] = [];
  for (const other of others) {
    const compare = (layer: number | string, read: (quantity: WindowQuantity) => [QuantityReading | undefined, QuantityReading | undefined]) => {
      for (const quantity of windowQuantities) {
        const [reading, reference] = read(quantity);
        if (!reading?.interval || !reference?.interval || overlap(reading.interval, reference.interval)) continue;
        differences.push({
          label: other.label, layer, quantity, value: reading.value, interval: reading.interval,
          reference: { value: reference.value, interval: reference.interval },
        });
      }
    };
    for (const layer of other.report.layers) {
      const referenceLayer = first.report.layers.find((l) => l.layer === layer.layer);
      if (referenceLayer) compare(layer.layer, (quantity) => [readQuantity[quantity](layer), readQuantity[quantity](referenceLayer)]);
    }
    const referenceSides = new Map(readoutSides(first.report));
    for (const [label, side] of readoutSides(other.report)) {
      const referenceSide = referenceSides.get(label);
      if (referenceSide) compare(label, (quantity) => [readReadoutQuantity[quantity](side), readReadoutQuantity[quantity](referenceSide)]);
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
  const shown = (value: number | null, quantity: WindowQuantity) => (quantity === 'halfDecayLag' ? formatLag(value, maxLag) : formatNumber(value));
  const lines = differences.map((d) =>
    `  ${typeof d.layer === 'number' ? `layer ${d.layer}` : d.layer}, ${d.quantity}: ${d.label} ${shown(d.value, d.quantity)} ${formatInterval(d.interval, maxLag)}, ` +
    `${reports[0].label} ${shown(d.reference.value, d.quantity)} ${formatInterval(d.reference.interval, maxLag)}`);
  return `${title}\n${caveat}${lines.join('\n')}\n`;
}
