import { describe, expect, it } from 'vitest';
import { loadModel, textActivations, type Dtype } from '../../src/model/index.js';
import { describeWithShared, sharedPath } from '../helpers/shared.js';
import { ortTensors } from './ortReference.js';

/**
 * Every weight dtype transformers.js ships (files made by ../shared/tools/dtypes/make_variants.py as its
 * quantize.py makes them) loads, and each layer `iw activations` reports equals the tensor ONNX Runtime computes
 * in that same file (ortReference.ts: the file with the tensors as graph outputs, same optimization level),
 * to float32 rounding. The quantized files' numbers are their own: how far they sit from fp32 is measured in
 * docs/models.md, not pinned here.
 */
const STORIES_DTYPES: Dtype[] = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'];
/** gutenberg-gpt2-small's variants in ../shared: fp32 and q8 only. */
const GPT2_DTYPES: Dtype[] = ['fp32', 'q8'];
/** |iw − ORT| over a layer, relative to the layer's largest |value|: float32 rounding is ~6e-8. */
function relativeDifference(iw: readonly number[], reference: Float32Array): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < reference.length; i++) {
    worst = Math.max(worst, Math.abs(iw[i] - reference[i]));
    scale = Math.max(scale, Math.abs(reference[i]));
  }
  return worst / scale;
}

function checkDtypes(folder: string, dtypes: readonly Dtype[], text: string): void {
  for (const dtype of dtypes) {
    // 8-bit files gather the int8 table, then DequantizeLinear: layer discovery sees through it (residualStream.ts).
    it(`${dtype}: every layer of iw activations equals ONNX Runtime's tensor in the same file`, async () => {
      const model = await loadModel({ model: folder, dtype, threads: 1 });
      try {
        const layers = model.taps.map((t) => t.layer);
        const report = await textActivations(model, text, layers, false);
        const ids = report.tokens.map((t) => t.id);
        const reference = await ortTensors(model.resolved.onnxPath, model.taps.map((t) => t.tensor), ids);
        for (const layer of report.layers) {
          const rows = layer.values.flat();
          expect(rows.every(Number.isFinite)).toBe(true);
          expect(relativeDifference(rows, reference.get(layer.tensor)!)).toBeLessThan(1e-6);
        }
      } finally {
        await model.dispose();
      }
    }, 60_000);
  }
}

describeWithShared('weight dtypes against ONNX Runtime', () => {
  describe('stories260K (Llama)', () => {
    checkDtypes(sharedPath('models', 'dtypes', 'stories260K'), STORIES_DTYPES, 'Once upon a time there was a little girl named Lily who loved the park');
  });
  describe('gutenberg-gpt2-small (GPT-2)', () => {
    checkDtypes(sharedPath('models', 'dtypes', 'gutenberg-gpt2-small'), GPT2_DTYPES, 'It was the best of times and the river ran slowly past the old mill by the town');
  });
});
