import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '../../src/model/onnx/onnxProto.js';
import { loadModel, padBatch, readEmbeddingMatrix } from '../../src/model/index.js';
import { maxAbsDifference, moveWeightsToExternalData, removeDir, sampleWords, tempDir, tinyGpt2 } from './modelTestKit.js';

/**
 * Large exports keep their weights beside the graph (onnx/model.onnx_data, TensorProto.data_location =
 * EXTERNAL). The test moves the tiny fixture's weights out that way, then checks that the edited graph,
 * loaded from memory, still finds them, and that the embedding matrix is read from the data file.
 */
describe('weights in an external data file', () => {
  const folder = tempDir('external-data');
  afterAll(() => removeDir(folder));

  it('runs and reads the embedding as with inline weights', async () => {
    mkdirSync(join(folder, 'onnx'));
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(tinyGpt2, file), join(folder, file));
    const model = decodeModel(readFileSync(join(tinyGpt2, 'onnx', 'model.onnx')));
    moveWeightsToExternalData(model, join(folder, 'onnx'));
    writeFileSync(join(folder, 'onnx', 'model.onnx'), encodeModel(model));

    const external = await loadModel({ model: folder, threads: 1 });
    const inline = await loadModel({ model: tinyGpt2, threads: 1 });
    try {
      const tokens = inline.tokenizer.tokenizeWords(sampleWords.slice(0, 8)).ids;
      const a = await external.forward(padBatch([tokens], false), { layers: [0, 2] });
      const b = await inline.forward(padBatch([tokens], false), { layers: [0, 2] });
      expect(maxAbsDifference(a.taps.get(2)!, b.taps.get(2)!)).toBe(0);
      const fromFile = await readEmbeddingMatrix(external.resolved);
      const fromInline = await readEmbeddingMatrix(inline.resolved);
      expect(maxAbsDifference(fromFile.values, fromInline.values)).toBe(0);
    } finally {
      await external.dispose();
      await inline.dispose();
    }
  });
});
