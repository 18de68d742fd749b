import type { PassRow } from './passRows.js';

/**
 * The rows of a batch output [rows × tokens × width] at the last token of each word `row` reads: for logits, the
 * model's prediction of the token after the word (docs/method.md §9). Only these rows are copied out (a word's
 * earlier tokens predict the rest of the word, not the next word). `rowOffset` is where the batch row starts.
 * Returns [words × width].
 */
export function lastTokenRows(outputs: Float32Array, row: Pick<PassRow, 'readSpans' | 'pastLength'>, rowOffset: number, width: number): Float32Array {
  const words = new Float32Array(row.readSpans.length * width);
  row.readSpans.forEach(([, end], w) => {
    const source = rowOffset + (end - 1 - row.pastLength) * width;
    words.set(outputs.subarray(source, source + width), w * width);
  });
  return words;
}
