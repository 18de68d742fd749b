import { chmodSync, mkdirSync, readFileSync, writeFileSync, copyFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { randomizeModelBytes, randomizedModelPath, TWIN_RECIPE_VERSION, untrainedTwin, writeRandomizedModel } from '../../../src/model/randomize/index.js';
import { decodeModel, encodeModel, type OnnxTensor } from '../../../src/model/onnx/onnxProto.js';
import { loadModel, padBatch, resolveModel } from '../../../src/model/index.js';
import { UserError } from '../../../src/util/errors.js';
import { createRandom } from '../../../src/util/random.js';
import { buildSyntheticDecoder } from '../syntheticDecoder.js';
import { maxAbsDifference, removeDir, sampleWords, stories, tempDir, tinyGpt2 } from '../modelTestKit.js';
import { decodedValues, meanTolerance, statsOf, stdTolerance } from './tensorStats.js';

/** Other exports and architectures: Llama, opset-17 LayerNormalization in fp16, quantized and unknown weights, external data, the cache. */

const tinyConfig = JSON.parse(readFileSync(join(tinyGpt2, 'config.json'), 'utf8')) as Record<string, unknown>;
const tinyBytes = readFileSync(join(tinyGpt2, 'onnx', 'model.onnx'));

function expectNormal(values: Float32Array, std: number, label: string): void {
  const stats = statsOf(values);
  expect(Math.abs(stats.mean), label).toBeLessThan(meanTolerance(std, values.length));
  expect(Math.abs(stats.std - std), label).toBeLessThan(stdTolerance(std, values.length));
}

function floatTensor(name: string, dims: number[], values: Float32Array): OnnxTensor {
  return { name, dims, data_type: 1, raw_data: new Uint8Array(values.buffer.slice(0)) } as unknown as OnnxTensor;
}

describe('Llama (stories260K): Hugging Face LlamaPreTrainedModel._init_weights', () => {
  it('draws every projection, o_proj and down_proj included, from normal(0, 0.02), RMSNorm weights 1, lm_head tied', () => {
    const config = JSON.parse(readFileSync(join(stories, 'config.json'), 'utf8')) as Record<string, unknown>;
    const twin = randomizeModelBytes(readFileSync(join(stories, 'onnx', 'model.onnx')), { seed: 5, config });
    const { values } = decodedValues(twin.bytes);
    // Expected from the parameter names and Llama's recipe (initializer_range 0.02 in its config.json).
    for (const { name } of twin.summary.tensors) {
      if (name.endsWith('norm.weight')) expect(values(name).every((v) => v === 1), name).toBe(true);
      else if (name.startsWith('lm_head')) continue;
      else expectNormal(values(name), 0.02, name);
    }
    expect(twin.summary.tensors.map((t) => t.name)).toContain('model.layers.4.mlp.down_proj.weight_transposed');
    const embedding = values('model.embed_tokens.weight');
    const head = values('lm_head.weight_transposed'); // [64, 512] = embeddingᵀ
    expect(head.every((v, i) => v === embedding[(i % 512) * 64 + Math.floor(i / 512)])).toBe(true);
  });
});

describe('opset-17 LayerNormalization graph stored in fp16 (synthetic decoder)', () => {
  it('sets LayerNormalization scales to 1 and biases to 0 and draws the rest in half precision', () => {
    const decoder = buildSyntheticDecoder({ vocabulary: 300, width: 16, blocks: 2, fp16: true });
    const twin = randomizeModelBytes(decoder.bytes, { seed: 1, config: { model_type: 'synthetic', initializer_range: 0.05 } });
    const { values } = decodedValues(twin.bytes);
    for (const name of ['b0.gain', 'b1.gain', 'final.gain']) expect(values(name).every((v) => v === 1), name).toBe(true);
    for (const name of ['b0.bias', 'b1.bias', 'final.bias']) expect(values(name).every((v) => v === 0), name).toBe(true);
    expectNormal(values('embed.weight'), 0.05, 'embed.weight'); // 4,800 draws; half rounding (2^-11 relative) is far below the tolerance
    expect(twin.summary.tensors.find((t) => t.name === 'head.weight')?.role).toBe('tied-output');
    expect(twin.summary.method).toMatch(/default initialisation.*"synthetic"/);
  });
});

describe('refusals', () => {
  it('refuses quantized weights and says to use the float export', () => {
    const decoder = buildSyntheticDecoder({ quantizedEmbedding: true });
    expect(() => randomizeModelBytes(decoder.bytes, { seed: 1, config: { model_type: 'synthetic' } })).toThrow(/quantized weights \(embed\.q\).*--dtype fp32/);
  });

  it('refuses a GPT-2 whose residual projections it cannot all find (here: a config declaring 3 blocks for a 2-block graph)', () => {
    expect(() => randomizeModelBytes(tinyBytes, { seed: 1, config: { ...tinyConfig, n_layer: 3 }, fileLabel: 'tiny' }))
      .toThrow(/tiny: found 4 projections writing into the residual stream, but a GPT-2 of 3 blocks has 6/);
  });

  it('refuses a float initializer it cannot place, naming it; keeps masks and scalars byte for byte', () => {
    const model = decodeModel(tinyBytes);
    const random = createRandom(1);
    model.graph.initializer.push(floatTensor('mystery.weight', [3, 5], Float32Array.from({ length: 15 }, () => random())));
    expect(() => randomizeModelBytes(encodeModel(model), { seed: 1, config: tinyConfig, fileLabel: 'tiny+mystery' }))
      .toThrow(new UserError('tiny+mystery: cannot make an untrained twin: iw cannot tell what these float initializers are (not an embedding, matrix, bias or norm weight it recognises, nor a known constant), so it would have to guess how the architecture initializes them: mystery.weight'));
    model.graph.initializer.pop();
    const mask = Float32Array.from({ length: 16 }, (_, i) => (i % 4 <= Math.floor(i / 4) ? 1 : 0));
    model.graph.initializer.push(floatTensor('causal.mask', [4, 4], mask), floatTensor('scale', [1], Float32Array.of(0.125)));
    const twin = randomizeModelBytes(encodeModel(model), { seed: 1, config: tinyConfig });
    expect(twin.summary.kept.map((k) => k.name)).toEqual(['causal.mask', 'scale']);
    const { values } = decodedValues(twin.bytes);
    expect(Array.from(values('causal.mask'))).toEqual(Array.from(mask));
    expect(values('scale')[0]).toBe(0.125);
  });
});

describe('weights in an external data file', () => {
  const folder = tempDir('twin-external');
  afterAll(() => removeDir(folder));

  it('writes a copy of the data file with the new weights, equal to the inline twin of the same seed', async () => {
    const source = join(folder, 'source');
    mkdirSync(join(source, 'onnx'), { recursive: true });
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(tinyGpt2, file), join(source, file));
    const model = decodeModel(tinyBytes);
    const chunks: Uint8Array[] = [];
    let offset = 0;
    for (const tensor of model.graph.initializer) {
      chunks.push(tensor.raw_data!);
      tensor.external_data = [{ key: 'location', value: 'model.onnx_data' }, { key: 'offset', value: String(offset) }, { key: 'length', value: String(tensor.raw_data!.length) }];
      tensor.data_location = 1;
      offset += tensor.raw_data!.length;
      tensor.raw_data = new Uint8Array(0);
    }
    const data = Buffer.concat(chunks);
    writeFileSync(join(source, 'onnx', 'model.onnx_data'), data);
    writeFileSync(join(source, 'onnx', 'model.onnx'), encodeModel(model));

    const external = await writeRandomizedModel(await resolveModel({ model: source }), { seed: 4, out: join(folder, 'external-twin'), quiet: true });
    const inline = await writeRandomizedModel(await resolveModel({ model: tinyGpt2 }), { seed: 4, out: join(folder, 'inline-twin'), quiet: true });
    expect(readFileSync(join(source, 'onnx', 'model.onnx_data')).equals(data)).toBe(true); // the source is untouched
    const a = await loadModel({ model: external.folder, threads: 1 });
    const b = await loadModel({ model: inline.folder, threads: 1 });
    try {
      const tokens = b.tokenizer.tokenizeWords(sampleWords.slice(0, 10)).ids;
      const x = await a.forward(padBatch([tokens], false), { layers: [0, 2] });
      const y = await b.forward(padBatch([tokens], false), { layers: [0, 2] });
      expect(maxAbsDifference(x.taps.get(2)!, y.taps.get(2)!)).toBe(0);
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });
});

describe('the twin cache for --untrained', () => {
  const cacheDir = tempDir('twin-cache');
  afterAll(() => removeDir(cacheDir));

  it('writes a twin once per (file, seed) and reuses it', async () => {
    const resolved = await resolveModel({ model: tinyGpt2 });
    const first = await randomizedModelPath(resolved, 9, { cacheDir, quiet: true });
    expect(first).toBe(join(cacheDir, 'iw-untrained', `${await resolved.sha256()}-seed-9-v${TWIN_RECIPE_VERSION}`));
    const madeAt = statSync(join(first, 'onnx', 'model.onnx')).mtimeMs;
    expect(await randomizedModelPath(resolved, 9, { cacheDir, quiet: true })).toBe(first);
    expect(statSync(join(first, 'onnx', 'model.onnx')).mtimeMs).toBe(madeAt);
    const other = await randomizedModelPath(resolved, 10, { cacheDir, quiet: true });
    expect(other).not.toBe(first);

    const twin = await untrainedTwin(resolved, 9, { cacheDir, quiet: true });
    expect(twin.onnxPath).toBe(join(first, 'onnx', 'model.onnx'));
    expect(twin.id).toBe(tinyGpt2);
    expect((twin.config.iw_untrained as { seed: number }).seed).toBe(9);
    // Its sha256 is the one its config records, without reading the file again: the file's own.
    expect(await twin.sha256()).toBe(createHash('sha256').update(readFileSync(twin.onnxPath)).digest('hex'));
  });

  it('checks a cached twin\'s weights against the sha256 its config records, and refuses a changed one', async () => {
    const own = tempDir('twin-cache-changed');
    try {
      const resolved = await resolveModel({ model: tinyGpt2 });
      const folder = await randomizedModelPath(resolved, 4, { cacheDir: own, quiet: true });
      const onnx = join(folder, 'onnx', 'model.onnx');
      const recorded = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')).iw_untrained.weights_sha256;
      expect(recorded).toEqual({ 'onnx/model.onnx': createHash('sha256').update(readFileSync(onnx)).digest('hex') });
      const bytes = readFileSync(onnx);
      bytes[bytes.length - 10] ^= 1; // one bit of the last weights
      writeFileSync(onnx, bytes);
      await expect(randomizedModelPath(resolved, 4, { cacheDir: own, quiet: true })).rejects.toThrow(new UserError(
        `the cached untrained twin ${folder} has a onnx/model.onnx whose sha256 is not the one recorded when it was made (it was changed since): delete that folder to have the twin made again`));
    } finally {
      removeDir(own);
    }
  });

  it('warns when other users can write the twin cache', async () => {
    const shared = tempDir('twin-cache-shared');
    const printed = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      chmodSync(shared, 0o777);
      await randomizedModelPath(await resolveModel({ model: tinyGpt2 }), 5, { cacheDir: shared, quiet: true });
      expect(printed.mock.calls.map(([text]) => String(text))).toContain(`iw: warning: the cache folder ${shared} is writable by every user: anyone who can write there can replace the models iw runs; use --cache-dir or IW_CACHE_DIR to give a folder of your own\n`);
    } finally {
      printed.mockRestore();
      removeDir(shared);
    }
  });
});
