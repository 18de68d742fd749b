import { escapeControlCharacters } from './controlCharacters.js';

/** A plain-text table for a terminal: columns padded to their widest cell, numbers right-aligned. */
export interface TextColumn {
  header: string;
  align?: 'left' | 'right';
}

/** Every text table iw prints (reports, checks, comparisons, layers, corpus statistics) is made here. */
export function textTable(columns: readonly TextColumn[], rows: readonly (readonly string[])[], options: { header?: boolean } = {}): string {
  const header = options.header ?? true;
  rows = rows.map((row) => row.map(escapeControlCharacters));
  const widths = columns.map((column, i) => Math.max(header ? column.header.length : 0, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) => cells
    .map((cell, i) => (columns[i].align === 'left' ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
    .join('  ')
    .trimEnd();
  return [...(header ? [line(columns.map((c) => c.header))] : []), ...rows.map(line)].join('\n') + '\n';
}
