import { decodeModel, type OnnxModel, type OnnxTensor } from '../../../src/model/onnx/onnxProto.js';
import { tensorToFloat32 } from '../../../src/model/onnx/tensorData.js';

/** Per-tensor statistics of ONNX weights, and the sampling tolerances the randomize tests hold them to. */

export interface TensorStats {
  count: number;
  mean: number;
  std: number;
}

export function statsOf(values: ArrayLike<number>): TensorStats {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - mean) ** 2;
  return { count: values.length, mean, std: Math.sqrt(squares / values.length) };
}

/**
 * For n independent normal(0, σ) draws the sample mean has standard error σ/√n and the sample standard
 * deviation σ/√(2n) (its large-sample variance is σ²/(2n)). Tests allow 5 standard errors: a correct draw fails
 * with probability under 1e-6 per tensor, while a wrong σ (e.g. 0.02 where 0.01 is due) misses by hundreds.
 */
export const STANDARD_ERRORS = 5;

export function meanTolerance(sigma: number, n: number): number {
  return (STANDARD_ERRORS * sigma) / Math.sqrt(n);
}

export function stdTolerance(sigma: number, n: number): number {
  return (STANDARD_ERRORS * sigma) / Math.sqrt(2 * n);
}

/** Every initializer of a decoded model by name, plus the names Identity nodes give them (deduplicating exporters). */
export function initializersByName(model: OnnxModel): Map<string, OnnxTensor> {
  const byName = new Map(model.graph.initializer.map((t) => [t.name, t]));
  for (const node of model.graph.node) {
    if (node.op_type !== 'Identity') continue;
    const source = byName.get(node.input[0]);
    if (source && !byName.has(node.output[0])) byName.set(node.output[0], source);
  }
  return byName;
}

export function decodedValues(bytes: Uint8Array): { model: OnnxModel; values: (name: string) => Float32Array } {
  const model = decodeModel(bytes);
  const byName = initializersByName(model);
  return {
    model,
    values: (name) => {
      const tensor = byName.get(name);
      if (!tensor) throw new Error(`no initializer ${name}`);
      return tensorToFloat32(tensor, '.');
    },
  };
}
