import { readFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { readEmbeddingMatrix, resolveModel } from '../../src/model/index.js';
import { decodeModel } from '../../src/model/onnx/onnxProto.js';
import { tensorToFloat32 } from '../../src/model/onnx/tensorData.js';
import { describeWithShared, sharedPath } from '../helpers/shared.js';
import { iw } from '../helpers/runIw.js';
import { removeDir, tempDir } from './modelTestKit.js';
import { ortTensors } from './ortReference.js';

/**
 * The q8 files of transformers.js repos (onnxruntime's quantize_dynamic) gather 8-bit codes and dequantize after
 * the Gather. The matrix iw reads for embedding swaps is the dequantized one: row for row what ONNX Runtime's
 * DequantizeLinear gives in the graph, and within half a quantization step of the fp32 file's matrix.
 */
describeWithShared('embedding matrix of 8-bit files (Gather(int8) → DequantizeLinear)', () => {
  const folders: string[] = [];
  afterAll(() => folders.forEach(removeDir));

  for (const [name, rows] of [['stories260K', 512], ['gutenberg-gpt2-small', 256]] as const) {
    it(`${name}: rows equal ONNX Runtime's DequantizeLinear output, and lie within half a step of fp32`, async () => {
      const folder = sharedPath('models', 'dtypes', name);
      const q8 = await resolveModel({ model: folder, dtype: 'q8' });
      const quantized = await readEmbeddingMatrix(q8);
      const original = await readEmbeddingMatrix(await resolveModel({ model: folder, dtype: 'fp32' }));
      const graph = decodeModel(readFileSync(q8.onnxPath)).graph;
      const gather = graph.node.find((n) => n.op_type === 'Gather' && n.input[1] === 'input_ids')!;
      const dequantize = graph.node.find((n) => n.op_type === 'DequantizeLinear' && n.input[0] === gather.output[0])!;
      const ids = Array.from({ length: rows }, (_, i) => i);
      const reference = (await ortTensors(q8.onnxPath, [dequantize.output[0]], ids)).get(dequantize.output[0])!;
      expect(Array.from(quantized.values.subarray(0, rows * quantized.width))).toEqual(Array.from(reference));
      const scale = graph.initializer.find((t) => t.name === dequantize.input[1])!;
      const step = tensorToFloat32(scale, '')[0];
      let worst = 0;
      for (let i = 0; i < original.values.length; i++) worst = Math.max(worst, Math.abs(quantized.values[i] - original.values[i]));
      expect(worst).toBeGreaterThan(0);
      expect(worst).toBeLessThanOrEqual(step / 2 * (1 + 1e-5));
    }, 60_000);
  }

  it('gutenberg-gpt2-small: q8 embedding swaps pick what fp32 picks for >= 95 % of swaps; the file records its dtype', async () => {
    const out = tempDir('q8-swaps');
    folders.push(out);
    const model = sharedPath('models', 'dtypes', 'gutenberg-gpt2-small');
    const built = [];
    for (const dtype of ['fp32', 'q8']) {
      const file = `${out}/${dtype}.json`;
      const result = await iw('stimuli', '--model', model, '--dtype', dtype, '--swap', 'embedding', '--sequences', '30', '--words', '30', '--out', file);
      expect(result.code, result.stderr).toBe(0);
      built.push(JSON.parse(readFileSync(file, 'utf8')) as { meta: { dtype: string }; sequences: Array<{ swaps: Array<string | null> }> });
    }
    const [fp32, q8] = built;
    expect([fp32.meta.dtype, q8.meta.dtype]).toEqual(['fp32', 'q8']);
    let swaps = 0;
    let same = 0;
    fp32.sequences.forEach((sequence, s) => sequence.swaps.forEach((word, w) => {
      if (word === null) return;
      swaps++;
      if (q8.sequences[s].swaps[w] === word) same++;
    }));
    expect(swaps).toBe(900);
    // Measured: 887 of 900 (98.6 %). Before the dequantization, raw int8 codes: 333 of 900.
    expect(same / swaps).toBeGreaterThanOrEqual(0.95);
  }, 120_000);
});
