import { describe, expect, it } from 'vitest';
import { assembleVocabularyKernel } from '../../bin/vocabulary-kernel.js';
import { prediction, predictionChange, predictionReference, type Prediction } from '../../src/measure/predictionChange.js';
import { VocabularyKernel, type KeptPrediction } from '../../src/measure/vocabularyKernel.js';
import { VOCABULARY_KERNEL_BASE64 } from '../../src/measure/vocabularyKernelBinary.js';
import { createRandom } from '../../src/util/random.js';
import { logitRow } from '../helpers/logitRows.js';

/** Rows × vocabulary logits, one after another. */
function rowsOf(rows: Float32Array[]): Float32Array {
  const all = new Float32Array(rows.length * rows[0].length);
  rows.forEach((row, r) => all.set(row, r * row.length));
  return all;
}

/** Originals like a model's, and swapped rows moved from them; row 2 of the swaps is its original unchanged. */
function planted(seed: number, vocabulary: number, rows: number): { originals: Float32Array[]; swapped: Float32Array[] } {
  const random = createRandom(seed);
  const originals = Array.from({ length: rows }, () => logitRow(random, vocabulary));
  const swapped = originals.map((row, r) => (r === 2 ? row.slice() : row.map((z) => z + (random() - 0.5) * 3)));
  return { originals, swapped };
}

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  return a.length === b.length && Array.from(a).every((value, i) => Object.is(value, b[i]));
}

/** The JavaScript path: prediction() and predictionChange() row by row, in float64. */
function javascriptChanges(originals: Float32Array[], swapped: Float32Array[]): { absolute: Float64Array; divergence: Float64Array; kept: Prediction[] } {
  const kept = originals.map((row) => prediction(row));
  const absolute = new Float64Array(swapped.length), divergence = new Float64Array(swapped.length);
  swapped.forEach((row, r) => ([absolute[r], divergence[r]] = predictionChange(kept[r], row)));
  return { absolute, divergence, kept };
}

function kernelChanges(kernel: VocabularyKernel, originals: Float32Array[], swapped: Float32Array[]): { absolute: Float64Array; divergence: Float64Array; kept: KeptPrediction[] } {
  const kept = kernel.keep(rowsOf(originals));
  const absolute = new Float64Array(swapped.length), divergence = new Float64Array(swapped.length);
  kernel.changes(kept, rowsOf(swapped), absolute, divergence);
  return { absolute, divergence, kept };
}

describe('the vocabulary kernel', () => {
  it('is the bytes its WebAssembly text assembles to (npm run build:kernel)', async () => {
    expect(Buffer.from(await assembleVocabularyKernel()).toString('base64')).toBe(VOCABULARY_KERNEL_BASE64);
  });

  it('gives prediction() and predictionChange() to the bit, for vocabularies not a multiple of 4 and an odd number of rows', () => {
    for (const [seed, vocabulary, rows] of [[1, 6147, 5], [2, 6144, 4], [3, 7, 3], [4, 1, 2]]) {
      const { originals, swapped } = planted(seed, vocabulary, rows);
      const js = javascriptChanges(originals, swapped);
      const kernel = kernelChanges(new VocabularyKernel(vocabulary, rows), originals, swapped);
      expect(kernel.kept.map((p) => p.logSum)).toEqual(js.kept.map((p) => p.logSum));
      expect(sameBits(kernel.absolute, js.absolute)).toBe(true);
      expect(sameBits(kernel.divergence, js.divergence)).toBe(true);
      if (rows > 2) expect([kernel.absolute[2], kernel.divergence[2]]).toEqual([0, 0]);
    }
  });

  it('leaves rows outside its range to JavaScript, with the same numbers: a logit above the reference, deep below it, −∞, NaN', () => {
    const vocabulary = 1031;
    const { originals, swapped } = planted(5, vocabulary, 6);
    const reference = (row: Float32Array) => predictionReference(row);
    originals[0][10] = reference(originals[0]) - 720; // a term below float64's normal range (e^−720: x between −745 and −706)
    swapped[1][3] = reference(originals[1]) + 8; // above the original's reference
    swapped[2][5] = -Infinity;
    swapped[3][7] = reference(originals[3]) - 710;
    swapped[4][9] = Number.NaN;
    swapped[5][11] = -1e30;
    const js = javascriptChanges(originals, swapped);
    const kernel = kernelChanges(new VocabularyKernel(vocabulary, 6), originals, swapped);
    expect(kernel.kept.map((p) => p.logSum)).toEqual(js.kept.map((p) => p.logSum));
    expect(sameBits(kernel.absolute, js.absolute)).toBe(true);
    expect(sameBits(kernel.divergence, js.divergence)).toBe(true);
    expect(kernel.absolute[4]).toBeNaN();
  });

  it('keeps predictions in JavaScript when its memory cannot grow, and reuses what is released', () => {
    const vocabulary = 4096, rows = 12;
    const { originals, swapped } = planted(6, vocabulary, rows);
    // 4 pages hold the table and a band of 12 rows; a prediction takes 48 KiB: 7 more pages hold 10 of the 12.
    const kernel = new VocabularyKernel(vocabulary, rows, 11);
    const first = kernelChanges(kernel, originals, swapped);
    const placed = first.kept.filter((p) => 'address' in p).length;
    expect(placed).toBeGreaterThan(0);
    expect(placed).toBeLessThan(rows);
    const js = javascriptChanges(originals, swapped);
    expect(sameBits(first.absolute, js.absolute)).toBe(true);
    expect(sameBits(first.divergence, js.divergence)).toBe(true);
    kernel.release(first.kept);
    expect(kernel.keep(rowsOf(originals)).filter((p) => 'address' in p).length).toBe(placed);
  });
});
