import { cpSync, mkdtempSync, rmSync, symlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OnnxModel } from '../../src/model/onnx/onnxProto.js';
import { fixturePath } from '../helpers/shared.js';

/** Shared bits of the model tests: fixture paths, temp folders, comparisons. */

/** Models shipped in fixtures/models (copied from ../shared/models; see fixtures/models/README.md). */
export const tinyGpt2 = fixturePath('models', 'gutenberg-gpt2-tiny');
export const stories = fixturePath('models', 'stories260K');

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `iw-${label}-`));
}

export function removeDir(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

/**
 * A model folder with the given files of `source` linked in (to test which ONNX layout is chosen), or copied (an
 * untrained twin is made only of a folder's own files, not links).
 */
export function folderWith(source: string, files: readonly string[], how: 'link' | 'copy' = 'link'): string {
  const folder = tempDir('model');
  mkdirSync(join(folder, 'onnx'));
  for (const file of files) (how === 'link' ? symlinkSync : cpSync)(join(source, file), join(folder, file));
  return folder;
}

export function copyFolder(source: string, target: string): void {
  cpSync(source, target, { recursive: true });
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Rows [from, to) of a [batch, sequence, width] tensor's row `row`. */
export function tokenRows(tap: Float32Array, row: number, sequenceLength: number, width: number, from: number, to: number): Float32Array {
  const base = row * sequenceLength * width;
  return tap.subarray(base + from * width, base + to * width);
}

export function ids(values: readonly number[]): BigInt64Array {
  return BigInt64Array.from(values.map((v) => BigInt(v)));
}

export function ones(count: number): BigInt64Array {
  return new BigInt64Array(count).fill(1n);
}

/** Words of a few sentences of plain English, for tokenizer and activation tests. */
export const sampleText =
  'the old man walked slowly down the road and the children followed him to the river where they sat ' +
  'and watched the boats go by until the sun went down she said that it was not her fault but nobody ' +
  'believed a word of it because everyone had seen what happened in the kitchen that morning';
export const sampleWords = sampleText.split(' ');

/**
 * Moves every main-graph initializer of `model` into `onnxFolder`/model.onnx_data, one after another, as large
 * exports keep their weights (TensorProto.data_location = EXTERNAL with location, offset and length).
 */
export function moveWeightsToExternalData(model: OnnxModel, onnxFolder: string): void {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const tensor of model.graph.initializer) {
    const data = tensor.raw_data!;
    chunks.push(data);
    tensor.external_data = [
      { key: 'location', value: 'model.onnx_data' },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(data.length) },
    ];
    tensor.data_location = 1;
    tensor.raw_data = new Uint8Array(0);
    offset += data.length;
  }
  writeFileSync(join(onnxFolder, 'model.onnx_data'), Buffer.concat(chunks));
}
