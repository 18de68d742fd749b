import { afterAll, describe, expect, it } from 'vitest';
import { loadModel, padBatch } from '../../src/model/index.js';
import { maxAbsDifference, removeDir } from './modelTestKit.js';
import { buildSyntheticDecoder } from './syntheticDecoder.js';
import { syntheticFolder } from './syntheticFolder.js';

/**
 * --dtype picks the file by transformers.js suffix, and whatever the file's float type, taps reach the user
 * as float32. The synthetic decoders' JavaScript twins give the expected numbers; the fp16 file's weights are
 * the fp32 ones rounded to half precision and it computes in half precision, hence the looser tolerance.
 */
describe('--dtype', () => {
  const fp32 = buildSyntheticDecoder({ vocabulary: 6144, seed: 3 });
  const fp16 = buildSyntheticDecoder({ vocabulary: 6144, seed: 3, fp16: true });
  const folder = syntheticFolder({ 'model.onnx': fp32, 'model_fp16.onnx': fp16 });
  afterAll(() => removeDir(folder));

  for (const [dtype, decoder, tolerance] of [['fp32', fp32, 1e-5], ['fp16', fp16, 2e-2]] as const) {
    it(`${dtype}: runs ${dtype === 'fp32' ? 'model.onnx' : 'model_fp16.onnx'} and returns float32 taps`, async () => {
      const model = await loadModel({ model: folder, dtype, threads: 1 });
      try {
        expect(model.resolved.onnxPath.endsWith(dtype === 'fp32' ? 'model.onnx' : 'model_fp16.onnx')).toBe(true);
        const tokens = model.tokenizer.tokenizeWords(['the', 'river', 'went', 'by']).ids;
        const output = await model.forward(padBatch([tokens], false), { layers: [0, 1, 2] });
        const reference = decoder.hiddenStates(tokens);
        for (const layer of [0, 1, 2]) {
          const tap = output.taps.get(layer)!;
          expect(tap).toBeInstanceOf(Float32Array);
          expect(maxAbsDifference(tap, reference[layer].flat())).toBeLessThan(tolerance);
        }
      } finally {
        await model.dispose();
      }
    });
  }
});
