import { csvText, type CsvCell } from './csv.js';
import type { Report } from './schema.js';

/** yoking.csv: one row per layer and swap position: whether a sentence starts there, and the population F(k) (NA where undefined). */
export function yokingCsv(report: Report): string | undefined {
  if (!report.yoking) return undefined;
  const starts = new Set(report.yoking.sentenceStarts);
  const rows: CsvCell[][] = [];
  for (const layer of report.layers) {
    layer.yoking?.profile.forEach((f, position) => rows.push([layer.layer, position, starts.has(position), f]));
  }
  return csvText(['layer', 'position', 'is_sentence_start', 'f'], rows);
}
