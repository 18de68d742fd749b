import { layerQuantities, quantityTitles, windowQuantities, readQuantity, readReadoutQuantity, type LayerQuantity, type QuantityReading, type WindowQuantity } from '../layerQuantities.js';
import { readoutSides } from '../reportParts.js';
import { modelNames } from '../layerSummary.js';
import { formatInterval, formatLag, formatNumber } from '../numberFormat.js';
import { textTable } from '../../util/index.js';
import type { ComparedReport } from './comparedReport.js';
import { formatIntervalDifferences, intervalDifferences } from './intervalDifferences.js';

/**
 * Several reports side by side: one block per quantity, one row per layer (then `output` and `divergence` when a
 * report has the output read-out), one column per report. Quantities a report lacks (yoking, comparison, the
 * read-out) show "–"; blocks none of the reports has are left out.
 */
export interface ComparisonBlock {
  title: string;
  headers: string[];
  rows: string[][];
}

const shownQuantities: readonly LayerQuantity[] = ['a', 'b', 'c', 'halfDecayLag', 'lag75', 'yoking'];

export function comparisonBlocks(reports: readonly ComparedReport[], withIntervals: boolean): ComparisonBlock[] {
  const layers = [...new Set(reports.flatMap((r) => r.report.layers.map((l) => l.layer)))].sort((x, y) => x - y);
  const blocks: ComparisonBlock[] = [];
  for (const quantity of shownQuantities) {
    if (!reports.some((r) => r.report.layers.some((l) => readQuantity[quantity](l)))) continue;
    blocks.push({
      title: quantityTitles[quantity],
      headers: ['layer', ...reports.map((r) => r.label)],
      rows: [
        ...layers.map((layer) => [String(layer), ...reports.map((r) => quantityCell(r, layer, quantity, withIntervals))]),
        ...readoutRows(reports, quantity, withIntervals),
      ],
    });
  }
  if (reports.some((r) => r.report.layers.some((l) => l.comparison))) {
    blocks.push({
      title: 'best model by BIC (ΔBIC to the runner-up)',
      headers: ['layer', ...reports.map((r) => r.label)],
      rows: layers.map((layer) => [String(layer), ...reports.map((r) => {
        const winner = r.report.layers.find((l) => l.layer === layer)?.comparison?.winner.bic;
        return winner ? `${modelNames[winner.model]} (${formatNumber(winner.delta)})` : '–';
      })]),
    });
  }
  return blocks;
}

/** Rows `output` and `divergence` under the layers when some report has the output read-out (--readout output). */
function readoutRows(reports: readonly ComparedReport[], quantity: LayerQuantity, withIntervals: boolean): string[][] {
  if (!(windowQuantities as readonly string[]).includes(quantity)) return [];
  const sides = reports.map((r) => new Map(readoutSides(r.report)));
  return ['output', 'divergence'].filter((label) => sides.some((side) => side.has(label))).map((label) => [label, ...reports.map((r, i) => {
    const side = sides[i].get(label);
    return readingCell(r, side ? readReadoutQuantity[quantity as WindowQuantity](side) : undefined, quantity, withIntervals);
  })]);
}

function quantityCell(compared: ComparedReport, layer: number, quantity: LayerQuantity, withIntervals: boolean): string {
  const entry = compared.report.layers.find((l) => l.layer === layer);
  return readingCell(compared, entry ? readQuantity[quantity](entry) : undefined, quantity, withIntervals);
}

function readingCell(compared: ComparedReport, reading: QuantityReading | undefined, quantity: LayerQuantity, withIntervals: boolean): string {
  if (!reading) return '–';
  const maxLag = compared.report.settings.maxLag;
  const value = quantity === 'halfDecayLag' ? formatLag(reading.value, maxLag) : formatNumber(reading.value);
  return withIntervals && reading.interval ? `${value} ${formatInterval(reading.interval, maxLag)}` : value;
}

/** The comparison for stdout: which report is which, then the blocks. */
export function formatComparison(reports: readonly ComparedReport[]): string {
  const legend = reports.map((r) => `  ${r.label}: ${r.path} (${r.report.model.id}, ${r.report.model.layerCount} layers, seed ${r.report.settings.seed})`);
  const blocks = comparisonBlocks(reports, false).map((block) =>
    `${block.title}\n${textTable(block.headers.map((h) => ({ header: h })), block.rows)}`);
  return `${['reports:', ...legend].join('\n')}\n\n${blocks.join('\n')}\n${formatIntervalDifferences(reports)}`;
}

/**
 * Tidy rows for compare.csv: one per report, layer (or `output` / `divergence`) and quantity, with the interval when there is one
 * (columns: label, report, layer, layer_count, max_lag, quantity, value, low, high).
 */
export function comparisonRows(reports: readonly ComparedReport[]): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [];
  for (const r of reports) {
    for (const layer of r.report.layers) {
      for (const quantity of layerQuantities) {
        const reading = readQuantity[quantity](layer);
        if (!reading) continue;
        rows.push([r.label, r.path, layer.layer, r.report.model.layerCount, r.report.settings.maxLag, quantity, reading.value, reading.interval?.[0] ?? null, reading.interval?.[1] ?? null]);
      }
    }
    for (const [label, side] of readoutSides(r.report)) {
      for (const quantity of windowQuantities) {
        const reading = readReadoutQuantity[quantity](side);
        rows.push([r.label, r.path, label, r.report.model.layerCount, r.report.settings.maxLag, quantity, reading.value, reading.interval?.[0] ?? null, reading.interval?.[1] ?? null]);
      }
    }
  }
  return rows;
}

/** `iw compare --json`: which report is which, and the tidy rows of compare.csv as objects. */
export function comparisonJson(reports: readonly ComparedReport[]): string {
  return `${JSON.stringify({
    format: 'iw-compare/1',
    reports: reports.map((r) => ({ label: r.label, path: r.path, model: r.report.model.id, layerCount: r.report.model.layerCount, maxLag: r.report.settings.maxLag, seed: r.report.settings.seed })),
    rows: comparisonRows(reports).map(([label, , layer, , , quantity, value, low, high]) => ({ label, layer, quantity, value, low, high })),
    /** Against the first report: layers and quantities whose bootstrap intervals do not overlap (null without intervals). */
    beyondIntervals: intervalDifferences(reports) ?? null,
  }, null, 2)}\n`;
}
