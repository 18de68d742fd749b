import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomizeModelBytes } from '../../../src/model/randomize/index.js';
import { loadModel, padBatch } from '../../../src/model/index.js';
import { runCli } from '../../../src/cli/program.js';
import { capturedIO } from '../../helpers/runIw.js';
import { describeWithShared } from '../../helpers/shared.js';
import { decodedValues, meanTolerance, statsOf, stdTolerance } from '../randomize/tensorStats.js';
import { familyFolders, fixtureFamilies, sharedFamilies } from './familyReference.js';

/**
 * --untrained / iw randomize on every family stand-in: each parameter drawn as the family's _init_weights in
 * transformers draws it, told here from its transformers name (independently of how iw classifies it):
 * biases 0, norm scales 1 (Gemma 2's (1 + weight) scale is exported as one folded constant: 1 + 0 = 1), every
 * other weight normal(0, initializer_range) (config.json's init_std for OPT), the padding token's row 0 where
 * the config names a pad_token_id; then the twin runs and iw finds the same layers in it.
 */
const NOT_RANDOMIZED: Record<string, string> = {
  'genai-gpt2-fp32': 'onnxruntime-genai export: refused, see below',
  'genai-llama-gqa-fp32': 'onnxruntime-genai export: refused, see below',
  'ort-bert-toy-mlm': 'no tokenizer: a folder iw layers reads, not one it runs',
};

type Expected = { kind: 'fill'; value: number } | { kind: 'normal'; std: number };

function expectedInit(name: string, dims: number[], std: number): Expected {
  if (name.endsWith('.bias')) return { kind: 'fill', value: 0 };
  if (/(norm|ln_f|ln_\d)[^/]*\.weight$/i.test(name) || (dims.length === 1 && name.startsWith('onnx::Mul'))) return { kind: 'fill', value: 1 };
  return { kind: 'normal', std };
}

function itRandomizesAsTransformers({ name, folder }: { name: string; folder: string }): void {
  const skipped = NOT_RANDOMIZED[name];
  (skipped ? it.skip : it)(`${name}${skipped ? ` [skipped: ${skipped}]` : ''}`, async () => {
    const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as Record<string, unknown>;
    const std = (config.initializer_range ?? config.init_std ?? 0.02) as number;
    const pad = typeof config.pad_token_id === 'number' ? config.pad_token_id : undefined;
    const twin = randomizeModelBytes(readFileSync(join(folder, 'onnx', 'model.onnx')), { seed: 3, config });
    const { model, values } = decodedValues(twin.bytes);
    const dimsOf = new Map(model.graph.initializer.map((t) => [t.name, t.dims.map(Number)]));
    for (const tensor of twin.summary.tensors.filter((t) => t.role !== 'tied-output')) {
      const drawn = values(tensor.name);
      const expected = expectedInit(tensor.name, dimsOf.get(tensor.name) ?? [], std);
      if (expected.kind === 'fill') {
        expect(drawn.every((v) => v === expected.value), `${tensor.name}: all ${expected.value}`).toBe(true);
        continue;
      }
      const width = dimsOf.get(tensor.name)?.[1] ?? 0;
      const padRow = tensor.role === 'token-embedding' && pad !== undefined ? drawn.subarray(pad * width, (pad + 1) * width) : undefined;
      if (padRow) expect(padRow.every((v) => v === 0), `${tensor.name}: padding row ${pad}`).toBe(true);
      const sample = padRow ? drawn.filter((_, i) => Math.floor(i / width) !== pad) : drawn;
      const stats = statsOf(sample);
      expect(Math.abs(stats.mean), `${tensor.name} mean`).toBeLessThan(meanTolerance(std, sample.length));
      expect(Math.abs(stats.std - std), `${tensor.name} std`).toBeLessThan(stdTolerance(std, sample.length));
    }
    const trained = await loadModel({ model: folder, threads: 1 });
    const untrained = await loadModel({ model: folder, threads: 1, untrained: { seed: 3 } });
    try {
      expect(untrained.taps.map((t) => [t.layer, t.width])).toEqual(trained.taps.map((t) => [t.layer, t.width]));
      const layers = untrained.taps.map((t) => t.layer);
      const output = await untrained.forward(padBatch([[1, 2, 3, 4]], untrained.acceptsPositionIds), { layers });
      for (const layer of layers) expect(output.taps.get(layer)!.every(Number.isFinite)).toBe(true);
    } finally {
      await trained.dispose();
      await untrained.dispose();
    }
  }, 60_000);
}

describeWithShared('iw randomize on every family stand-in of ../shared: transformers\' _init_weights', () => {
  for (const family of familyFolders(sharedFamilies)) itRandomizesAsTransformers(family);
});

describe('iw randomize on the family stand-ins shipped with iw: transformers\' _init_weights', () => {
  for (const family of familyFolders(fixtureFamilies)) itRandomizesAsTransformers(family);
});

describeWithShared('iw randomize on an onnxruntime-genai export', () => {
  it('exits 2 with one line naming the fused ops and what to use instead', async () => {
    for (const name of ['genai-gpt2-fp32', 'genai-llama-gqa-fp32']) {
      const io = capturedIO();
      const folder = familyFolders(sharedFamilies).find((f) => f.name === name)?.folder ?? name;
      expect(await runCli(['randomize', '--model', folder, '--out', join(tmpdir(), `iw-twin-${name}-${process.pid}`)], io)).toBe(2);
      expect(io.err).toMatch(/cannot make an untrained twin of a graph with ONNX Runtime's fused transformer ops \((.*)\).*make the twin from an unfused export/);
      expect(io.err.trim().split('\n')).toHaveLength(1);
    }
  });
});
