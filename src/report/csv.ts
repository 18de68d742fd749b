/**
 * Tidy CSV for R and pandas: a header row, one observation per row, "NA" for a missing number (both read it as
 * missing), TRUE/FALSE for logicals (both read them as booleans), numbers in JavaScript's shortest round-trip form.
 */
export type CsvCell = number | string | boolean | null;

export function csvText(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) {
    if (row.length !== header.length) throw new Error(`csv row has ${row.length} cells for ${header.length} columns`);
    lines.push(row.map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function csvCell(value: CsvCell): string {
  if (value === null) return 'NA';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`csv: ${value} is not a finite number (use null for a missing value)`);
    return String(value);
  }
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
