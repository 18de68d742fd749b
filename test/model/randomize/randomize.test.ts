import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomizeModelBytes, writeRandomizedModel, type RandomizedBytes } from '../../../src/model/randomize/index.js';
import { decodeModel } from '../../../src/model/onnx/onnxProto.js';
import { loadModel, padBatch, resolveModel } from '../../../src/model/index.js';
import { removeDir, sampleWords, tempDir, tinyGpt2 } from '../modelTestKit.js';
import { decodedValues, meanTolerance, statsOf, stdTolerance } from './tensorStats.js';

/**
 * The untrained twin of the shipped gutenberg-gpt2-tiny (GPT-2, 2 blocks, 64 units, vocabulary 6144).
 * Expected initial values are GPT-2's own recipe, written out here from the parameter names (independently of
 * the product, which finds roles from the graph's structure): matrices and wte normal(0, 0.02) (config
 * initializer_range), wpe normal(0, 0.01) (OpenAI's released GPT-2 code), attn.c_proj / mlp.c_proj weights
 * normal(0, 0.02/sqrt(2·n_layer)) = normal(0, 0.01) for n_layer = 2, LayerNorm weights 1, every bias 0,
 * and the output head (onnx::MatMul_518, stored as wteᵀ) tied to the new wte.
 */
type Expected = { kind: 'normal'; std: number } | { kind: 'fill'; value: number } | { kind: 'tied' };

function gpt2Expected(name: string, layers: number): Expected {
  if (name.startsWith('onnx::MatMul')) return { kind: 'tied' };
  if (name.endsWith('wpe.weight')) return { kind: 'normal', std: 0.01 };
  if (name.endsWith('c_proj.weight')) return { kind: 'normal', std: 0.02 / Math.sqrt(2 * layers) };
  if (/ln_\w+\.weight$/.test(name)) return { kind: 'fill', value: 1 };
  if (name.endsWith('.bias')) return { kind: 'fill', value: 0 };
  return { kind: 'normal', std: 0.02 };
}

const config = JSON.parse(readFileSync(join(tinyGpt2, 'config.json'), 'utf8')) as Record<string, unknown>;
const trainedBytes = readFileSync(join(tinyGpt2, 'onnx', 'model.onnx'));

describe('randomizeModelBytes on gutenberg-gpt2-tiny', () => {
  let twin: RandomizedBytes;
  beforeAll(() => {
    twin = randomizeModelBytes(trainedBytes, { seed: 7, config });
  });

  it('re-draws every initializer the way GPT-2 initializes it', () => {
    const trained = decodeModel(trainedBytes);
    const { values } = decodedValues(twin.bytes);
    const redrawn = new Set(twin.summary.tensors.map((t) => t.name));
    expect([...redrawn].sort()).toEqual(trained.graph.initializer.map((t) => t.name).sort()); // all 29 are parameters
    for (const name of redrawn) {
      const expected = gpt2Expected(name, 2);
      const drawn = values(name);
      if (expected.kind === 'fill') {
        expect(drawn.every((v) => v === expected.value), name).toBe(true);
      } else if (expected.kind === 'normal') {
        const stats = statsOf(drawn);
        expect(Math.abs(stats.mean), name).toBeLessThan(meanTolerance(expected.std, drawn.length));
        expect(Math.abs(stats.std - expected.std), name).toBeLessThan(stdTolerance(expected.std, drawn.length));
      }
    }
  });

  it('keeps the output head tied to the new token embedding (stored transposed)', () => {
    const { values } = decodedValues(twin.bytes);
    const wte = values('transformer.wte.weight');
    const head = values('onnx::MatMul_518');
    const [vocabulary, width] = [6144, 64];
    let mismatches = 0;
    for (let v = 0; v < vocabulary; v++) for (let u = 0; u < width; u++) if (head[u * vocabulary + v] !== wte[v * width + u]) mismatches++;
    expect(mismatches).toBe(0);
  });

  it('changes no byte outside the weights it re-draws (graph, shape constants and masks identical)', () => {
    const original = decodeModel(trainedBytes);
    const base = trainedBytes.byteOffset;
    const inWeights = new Uint8Array(trainedBytes.length);
    for (const tensor of original.graph.initializer) {
      const start = tensor.raw_data!.byteOffset - base;
      inWeights.fill(1, start, start + tensor.raw_data!.length);
    }
    expect(twin.bytes.length).toBe(trainedBytes.length);
    let changedOutside = 0;
    let changedInside = 0;
    for (let i = 0; i < trainedBytes.length; i++) {
      if (twin.bytes[i] === trainedBytes[i]) continue;
      if (inWeights[i]) changedInside++;
      else changedOutside++;
    }
    expect(changedOutside).toBe(0);
    expect(changedInside).toBeGreaterThan(trainedBytes.length / 2); // the weights did change
  });

  it('gives the same bytes for the same seed and different weights for another', () => {
    const again = randomizeModelBytes(trainedBytes, { seed: 7, config });
    expect(Buffer.compare(Buffer.from(again.bytes), Buffer.from(twin.bytes))).toBe(0);
    const other = randomizeModelBytes(trainedBytes, { seed: 8, config });
    const a = decodedValues(twin.bytes).values('transformer.h.0.attn.c_attn.weight');
    const b = decodedValues(other.bytes).values('transformer.h.0.attn.c_attn.weight');
    const same = a.filter((v, i) => v === b[i]).length;
    expect(same).toBeLessThan(a.length / 100);
  });

  it('leaves the caller\'s bytes alone', () => {
    expect(Buffer.compare(readFileSync(join(tinyGpt2, 'onnx', 'model.onnx')), trainedBytes)).toBe(0);
  });
});

describe('writeRandomizedModel: a twin folder in hub layout', () => {
  const parent = tempDir('twin');
  const out = join(parent, 'tiny-untrained');
  afterAll(() => removeDir(parent));

  it('writes config (with the iw_untrained note), tokenizer and onnx/model.onnx, and the twin runs with the same layers', async () => {
    const resolved = await resolveModel({ model: tinyGpt2 });
    const written = await writeRandomizedModel(resolved, { seed: 3, out, quiet: true });
    expect(written.folder).toBe(out);
    for (const file of ['tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']) expect(existsSync(join(out, file)), file).toBe(true);
    const twinConfig = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(twinConfig.n_layer).toBe(2);
    expect(twinConfig.iw_untrained.seed).toBe(3);
    expect(twinConfig.iw_untrained.from).toBe(tinyGpt2);
    expect(twinConfig.iw_untrained.weights_sha256).toEqual({ 'onnx/model.onnx': createHash('sha256').update(readFileSync(join(out, 'onnx', 'model.onnx'))).digest('hex') });
    expect(twinConfig.iw_untrained.method).toMatch(/GPT-2/);
    expect(written.summaries['onnx/model.onnx'].tensors).toHaveLength(29);

    const trained = await loadModel({ model: tinyGpt2, threads: 1 });
    const untrained = await loadModel({ model: out, threads: 1 });
    try {
      expect(untrained.taps.map((t) => t.tensor)).toEqual(trained.taps.map((t) => t.tensor));
      const tokens = trained.tokenizer.tokenizeWords(sampleWords.slice(0, 12)).ids;
      const a = await trained.forward(padBatch([tokens], false), { layers: [0, 1, 2] });
      const b = await untrained.forward(padBatch([tokens], false), { layers: [0, 1, 2] });
      for (const layer of [0, 1, 2]) {
        const values = b.taps.get(layer)!;
        expect(values.every(Number.isFinite)).toBe(true);
        expect(values.some((v, i) => v !== a.taps.get(layer)![i])).toBe(true);
      }
      // Layer 0 is wte[token] + wpe[position]: its spread is that of normal(0, sqrt(0.02² + 0.01²)) draws.
      const embedded = statsOf(b.taps.get(0)!);
      expect(embedded.std).toBeGreaterThan(0.018);
      expect(embedded.std).toBeLessThan(0.027);
    } finally {
      await trained.dispose();
      await untrained.dispose();
    }
  });

  it('refuses to write into a folder that is not empty', async () => {
    const resolved = await resolveModel({ model: tinyGpt2 });
    await expect(writeRandomizedModel(resolved, { seed: 3, out, quiet: true })).rejects.toThrow(/already exists and is not an empty folder/);
  });
});
