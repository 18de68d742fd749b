import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '../../../src/model/onnx/onnxProto.js';
import { iw } from '../../helpers/runIw.js';
import { removeDir, tempDir } from '../modelTestKit.js';
import { buildSyntheticDecoder } from '../syntheticDecoder.js';
import { syntheticFolder } from '../syntheticFolder.js';

/**
 * A decoder exported with a static KV cache (inputs key_cache.N / value_cache.N that the caller updates in place at
 * write_indices) takes inputs iw cannot fill: every command that runs it exits 2 with one line naming them and what
 * to run instead, never a stack trace (it used to be exit 1, "input 'key_cache.0' is missing in 'feeds'").
 */
describe('a graph iw cannot feed', () => {
  const decoder = buildSyntheticDecoder({ vocabulary: 6144, width: 8, blocks: 2 });
  const model = decodeModel(decoder.bytes);
  const floatInput = (name: string, dims: string[]) => ({ name, type: { tensor_type: { elem_type: 1, shape: { dim: dims.map((d) => ({ dim_param: d })) } } } });
  model.graph.input.push(
    floatInput('key_cache.0', ['batch', 'heads', 'max_length', 'head_size']),
    floatInput('value_cache.0', ['batch', 'heads', 'max_length', 'head_size']),
    { name: 'write_indices', type: { tensor_type: { elem_type: 7, shape: { dim: [{ dim_param: 'batch' }] } } } },
  );
  const folder = syntheticFolder({ 'model.onnx': { ...decoder, bytes: encodeModel(model) } });
  const out = tempDir('unfeedable-out');
  afterAll(() => { removeDir(folder); removeDir(out); });

  it('iw activations exits 2 naming the inputs and what iw runs instead', async () => {
    const result = await iw('activations', '--model', folder, '--text', 'the old man', '--layers', '0', '--out', join(out, 'a.json'), '--threads', '1');
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/takes inputs iw cannot feed: key_cache\.0, value_cache\.0, write_indices/);
    expect(lines[0]).toMatch(/past_key_values\.N\.key\/value/);
    expect(lines[0]).toMatch(/dynamic KV cache/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('the same graph without those inputs runs (the refusal is about the inputs, not the graph)', async () => {
    const plain = syntheticFolder({ 'model.onnx': decoder });
    try {
      const file = join(out, 'b.json');
      const result = await iw('activations', '--model', plain, '--text', 'the old man', '--layers', '0', '--out', file, '--threads', '1');
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/^iw: wrote 3 tokens × 1 layers/);
    } finally {
      removeDir(plain);
    }
  });
});
