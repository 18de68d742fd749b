import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveModel } from '../../src/model/index.js';
import { onnxPathAsGiven } from '../../src/model/pathAsGiven.js';
import type { ResolvedModel } from '../../src/model/types.js';
import { tinyGpt2 } from './modelTestKit.js';

describe('onnxPathAsGiven', () => {
  it('keeps a relative folder relative and an absolute one absolute', async () => {
    const given = relative(process.cwd(), tinyGpt2);
    expect(onnxPathAsGiven(await resolveModel({ model: given }))).toBe(`${given}/onnx/model.onnx`);
    expect(onnxPathAsGiven(await resolveModel({ model: tinyGpt2 }))).toBe(`${tinyGpt2}/onnx/model.onnx`);
  });

  it('names a hub model by its id and the file inside the repository, not the cache folder', () => {
    const cached = { id: 'Xenova/gpt2', hubId: 'Xenova/gpt2', localPath: '/home/someone/.cache/Xenova/gpt2', onnxPath: '/home/someone/.cache/Xenova/gpt2/onnx/model_quantized.onnx' };
    expect(onnxPathAsGiven(cached as ResolvedModel)).toBe('Xenova/gpt2/onnx/model_quantized.onnx');
  });
});
