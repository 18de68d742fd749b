/**
 * Tidy CSV for R and pandas: a header row, one observation per row, "NA" for a missing number (both read it as
 * missing), TRUE/FALSE for logicals (both read them as booleans), numbers in JavaScript's shortest round-trip form,
 * text that would start a spreadsheet formula neutralised. Every CSV iw writes is made here.
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
  const text = startsAFormula(value) ? `'${value}` : value;
  return /[",\n\r]/.test(text) || text !== value ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A decimal number written as text ("-0.5", "+3", "1e-7"): a spreadsheet reads it as a number, not a formula. */
const DECIMAL_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Whether a spreadsheet opening the file would take a text cell for a formula (=, +, -, @, tab or CR first;
 * OWASP's list): a report's model id or a label comes from whoever made the report. Such a cell gets a leading
 * single quote and quotes around it, as OWASP recommends; numbers, negative ones included, stay numbers.
 */
function startsAFormula(value: string): boolean {
  return /^[=+\-@\t\r]/.test(value) && !DECIMAL_NUMBER.test(value);
}
