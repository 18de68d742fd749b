import { describe, expect, it } from 'vitest';
import { float32ToHalf, halfToFloat, halfToFloat32 } from '../../src/model/onnx/float16.js';
import { indexGraph, scalarValue } from '../../src/model/onnx/graphIndex.js';
import type { OnnxGraph, OnnxTensor } from '../../src/model/onnx/onnxProto.js';

describe('half precision', () => {
  // Bit patterns from IEEE 754-2008 binary16: sign 1 bit, exponent 5 (bias 15), fraction 10.
  const known: Array<[number, number]> = [
    [1, 0x3c00], [-2, 0xc000], [0.5, 0x3800], [65504, 0x7bff], [2 ** -24, 0x0001], [2 ** -14, 0x0400], [0, 0x0000],
  ];

  it('reads and writes known values exactly', () => {
    for (const [value, bits] of known) {
      expect(halfToFloat(bits)).toBe(value);
      expect(float32ToHalf(Float32Array.of(value))[0]).toBe(bits);
    }
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(Number.isNaN(halfToFloat(0x7e00))).toBe(true);
  });

  it('rounds to the nearest half, ties to even', () => {
    // 1 + 2^-11 lies halfway between 1 (0x3c00) and 1 + 2^-10 (0x3c01): the even one, 0x3c00, wins.
    expect(float32ToHalf(Float32Array.of(1 + 2 ** -11))[0]).toBe(0x3c00);
    expect(float32ToHalf(Float32Array.of(1 + 3 * 2 ** -11))[0]).toBe(0x3c02);
    expect(float32ToHalf(Float32Array.of(1e6))[0]).toBe(0x7c00); // overflow → infinity
  });

  it('round-trips every finite half', () => {
    const all = Uint16Array.from({ length: 0x7c00 }, (_, i) => i);
    expect(Array.from(float32ToHalf(halfToFloat32(all)))).toEqual(Array.from(all));
  });
});

describe('scalar constants stored in half precision', () => {
  // fp16 exports of Llama square inside RMSNorm with Pow(x, c) where c is a float16 constant 2 (bits 0x4000).
  const tensor = (data_type: number, raw: number[], int32: number[] = []): OnnxTensor => ({
    name: 'c', dims: [], data_type, raw_data: Uint8Array.from(raw), float_data: [], int32_data: int32, int64_data: [], double_data: [], external_data: [],
  });
  const graph = (t: OnnxTensor): OnnxGraph => ({ node: [], initializer: [t], input: [], output: [], name: 'g' } as unknown as OnnxGraph);

  it('reads fp16 and bfloat16 scalars from raw bytes and from int32_data', () => {
    expect(scalarValue(indexGraph(graph(tensor(10, [0x00, 0x40]))), 'c')).toBe(2);
    expect(scalarValue(indexGraph(graph(tensor(10, [], [0x3800]))), 'c')).toBe(0.5);
    expect(scalarValue(indexGraph(graph(tensor(16, [0x40, 0x40]))), 'c')).toBe(3); // bfloat16 0x4040 = 3
    expect(scalarValue(indexGraph(graph(tensor(1, [0, 0, 0, 0x40]))), 'c')).toBe(2);
  });
});
