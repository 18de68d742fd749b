import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readOnnxWithoutWeights } from '../../src/model/onnx/onnxFile.js';
import { decodeModel, encodeNode, type OnnxNode } from '../../src/model/onnx/onnxProto.js';
import { tensorBytes } from '../../src/model/onnx/tensorData.js';
import { readOnnxModel } from '../../src/model/onnx/readOnnxModel.js';
import { isUserError } from '../../src/util/errors.js';
import { tinyGpt2 } from './modelTestKit.js';

const tinyFile = join(tinyGpt2, 'onnx', 'model.onnx');
const original = decodeModel(readFileSync(tinyFile));
const scratch = mkdtempSync(join(tmpdir(), 'iw-onnxfile-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('reading a model without its weights', () => {
  const structure = readOnnxWithoutWeights(tinyFile);
  const model = decodeModel(structure.bytes);

  it('leaves the large weights in the file, and every tensor reads back byte for byte', () => {
    expect(structure.bytes.length).toBeLessThan(readFileSync(tinyFile).length / 20);
    let referenced = 0;
    model.graph.initializer.forEach((tensor, i) => {
      const before = original.graph.initializer[i];
      expect(tensor.name).toBe(before.name);
      expect(tensor.dims.map(Number)).toEqual(before.dims.map(Number));
      if (tensor.data_location === 1) referenced += 1;
      expect(Buffer.from(tensorBytes(tensor, structure.dataFolder)).equals(Buffer.from(before.raw_data ?? []))).toBe(true);
    });
    expect(referenced).toBeGreaterThan(0);
  });

  it('keeps nodes, inputs and outputs as they were', () => {
    const encoded = (nodes: OnnxNode[]) => nodes.map((node) => Buffer.from(encodeNode(node)).toString('base64'));
    expect(encoded(model.graph.node)).toEqual(encoded(original.graph.node));
    expect(model.graph.input.map((i) => i.name)).toEqual(original.graph.input.map((i) => i.name));
    expect(model.graph.output.map((o) => o.name)).toEqual(original.graph.output.map((o) => o.name));
  });

  it('names the real file when the model is a link, as in a Hugging Face cache (blobs/<hash>)', () => {
    const blob = join(scratch, 'blobs', 'abc123');
    mkdirSync(dirname(blob), { recursive: true });
    writeFileSync(blob, readFileSync(tinyFile));
    const link = join(scratch, 'snapshots', 'main', 'onnx', 'model.onnx');
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(blob, link);
    const linked = readOnnxWithoutWeights(link);
    expect(linked.dataFolder).toBe(dirname(blob));
    const embedding = decodeModel(linked.bytes).graph.initializer.find((t) => t.data_location === 1);
    expect(embedding?.external_data.find((e) => e.key === 'location')?.value).toBe('abc123');
  });

  it('refuses a file cut short, as a user error naming it', async () => {
    const cut = join(scratch, 'cut.onnx');
    writeFileSync(cut, readFileSync(tinyFile).subarray(0, 200_000));
    const error = await readOnnxModel(cut).then(() => undefined, (e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toContain(cut);
    expect((error as Error).message).toContain('cut short');
  });
});
