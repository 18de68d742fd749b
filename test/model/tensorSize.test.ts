import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OnnxTensor } from '../../src/model/onnx/onnxProto.js';
import { tensorToFloat32 } from '../../src/model/onnx/tensorData.js';
import { checkTensorData, externalDataSlice } from '../../src/model/onnx/tensorSize.js';

const folder = mkdtempSync(join(tmpdir(), 'iw-tensor-size-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function tensor(fields: Partial<OnnxTensor>): OnnxTensor {
  return { name: 't', dims: [], data_type: 1, float_data: [], int32_data: [], int64_data: [], double_data: [], external_data: [], ...fields };
}

describe('checkTensorData', () => {
  it('accepts data that matches the dims, in every storage', () => {
    writeFileSync(join(folder, 'data.bin'), new Uint8Array(64));
    for (const good of [
      tensor({ dims: [2, 3], raw_data: new Uint8Array(24) }),
      tensor({ dims: [2, 3], float_data: [1, 2, 3, 4, 5, 6] }),
      tensor({ dims: [3], data_type: 10, int32_data: [1, 2, 3] }),
      tensor({ dims: [4], data_type: 22, raw_data: new Uint8Array(2) }), // int4: two per byte
      tensor({ dims: [0, 5] }),
      tensor({ dims: [4], data_location: 1, external_data: [{ key: 'location', value: 'data.bin' }, { key: 'offset', value: '48' }, { key: 'length', value: '16' }] }),
    ]) expect(() => checkTensorData(good, folder)).not.toThrow();
    expect(tensorToFloat32(tensor({ dims: [2], float_data: [1.5, -2] }), folder)).toEqual(Float32Array.of(1.5, -2));
  });

  it('refuses data shorter or longer than the dims claim, and dims that are not whole numbers >= 0', () => {
    expect(() => checkTensorData(tensor({ dims: [2, 3], raw_data: new Uint8Array(20) }), folder)).toThrow('tensor "t" claims dims 2 × 3 (6 values) but holds 20 bytes of raw_data, not 24');
    expect(() => checkTensorData(tensor({ dims: [3], data_type: 6, int32_data: [1, 2, 3, 4] }), folder)).toThrow('claims dims 3 (3 values) but holds 4 in int32_data');
    expect(() => checkTensorData(tensor({ dims: [-1, 3], raw_data: new Uint8Array(4) }), folder)).toThrow('has dimension -1');
    expect(() => tensorToFloat32(tensor({ dims: [1e6, 1e6], float_data: [1] }), folder)).toThrow('claims dims 1000000 × 1000000 (1000000000000 values) but holds 1 in float_data');
  });

  it('refuses external data outside its file, with a length that is not the dims\', or with a malformed number', () => {
    const external = (offset: string, length: string, dims = [4]) => tensor({ dims, data_location: 1, external_data: [{ key: 'location', value: 'data.bin' }, { key: 'offset', value: offset }, { key: 'length', value: length }] });
    expect(() => externalDataSlice(external('56', '16'), folder)).toThrow('has external data at bytes 56..72 of data.bin, which holds 64 bytes');
    expect(() => externalDataSlice(external('0', '1e11'), folder)).toThrow('has external data length "1e11", not a whole number');
    expect(() => externalDataSlice(external('-8', '16'), folder)).toThrow('has external data offset "-8", not a whole number');
    expect(() => externalDataSlice(external('0', '100000000000', [25_000_000_000]), folder)).toThrow('which holds 64 bytes');
    expect(() => externalDataSlice(external('0', '8'), folder)).toThrow('claims dims 4 (16 bytes) but its external data length is 8');
    expect(() => externalDataSlice(tensor({ data_location: 1, external_data: [{ key: 'location', value: '../data.bin' }] }), folder)).toThrow('is not a file beside the model');
    expect(() => externalDataSlice(tensor({ data_location: 1, external_data: [{ key: 'location', value: 'missing.bin' }] }), folder)).toThrow('cannot be read (ENOENT)');
  });
});
