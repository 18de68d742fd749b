import { encodeModel, type OnnxModel } from '../../src/model/onnx/onnxProto.js';
import { float32ToHalf } from '../../src/model/onnx/float16.js';
import { createRandom } from '../../src/util/random.js';

/**
 * A tiny decoder-shaped ONNX model built in the test, with a plain-JavaScript twin that computes the same
 * numbers independently. Unlike the shipped fixtures (opset 14, LayerNorm decomposed into ReduceMean/Sub/…),
 * it uses opset 17's single LayerNormalization nodes, can store its weights in fp16, and can keep its
 * embedding matrix 8-bit quantized behind a DequantizeLinear, so those export styles are covered too.
 *
 *   x0 = E[ids];  block b: n = LayerNorm(x_b), x_{b+1} = x_b + softmax(n Wb nᵀ) n;  out = LayerNorm(x_L);  logits = out Eᵀ
 *
 * (Attention here is not causal: the model only has to look like a decoder to the graph search.)
 */
export interface SyntheticDecoder {
  bytes: Uint8Array;
  vocabulary: number;
  width: number;
  blocks: number;
  embedding: Float32Array;
  /** Hidden states [layer][token][unit] for one row of ids, computed in JavaScript (float64). */
  hiddenStates(ids: readonly number[]): number[][][];
}

export interface SyntheticOptions {
  vocabulary?: number;
  width?: number;
  blocks?: number;
  fp16?: boolean;
  /** Store E as uint8 with a per-tensor scale and zero point, dequantized in the graph. */
  quantizedEmbedding?: boolean;
  seed?: number;
}

const FLOAT = 1;
const UINT8 = 2;
const INT64 = 7;
const FLOAT16 = 10;

export function buildSyntheticDecoder(options: SyntheticOptions = {}): SyntheticDecoder {
  const vocabulary = options.vocabulary ?? 11;
  const width = options.width ?? 4;
  const blocks = options.blocks ?? 2;
  const random = createRandom(options.seed ?? 7);
  const values = (n: number, scale: number) => Float32Array.from({ length: n }, () => (random() * 2 - 1) * scale);
  let embedding: Float32Array = values(vocabulary * width, 1);
  let quantized: { q: Uint8Array; scale: number; zero: number } | undefined;
  if (options.quantizedEmbedding) {
    const scale = 2 / 255;
    const zero = 128;
    const q = Uint8Array.from(embedding, (v) => Math.max(0, Math.min(255, Math.round(v / scale) + zero)));
    quantized = { q, scale, zero };
    embedding = Float32Array.from(q, (v) => (v - zero) * scale);
  }
  if (options.fp16) embedding = roundToHalf(embedding);
  const mixers = Array.from({ length: blocks }, () => maybeHalf(values(width * width, 0.5), options.fp16));
  const gains = Array.from({ length: blocks + 1 }, () => maybeHalf(values(width, 0.3).map((v) => 1 + v), options.fp16));
  const biases = Array.from({ length: blocks + 1 }, () => maybeHalf(values(width, 0.1), options.fp16));
  const floatType = options.fp16 ? FLOAT16 : FLOAT;
  const tensor = (name: string, dims: number[], data: Float32Array) => ({
    name,
    dims,
    data_type: floatType,
    raw_data: options.fp16 ? bytesOf(float32ToHalf(data)) : bytesOf(data),
  });
  const initializer: object[] = [];
  const node: object[] = [];
  if (quantized) {
    initializer.push(
      { name: 'embed.q', dims: [vocabulary, width], data_type: UINT8, raw_data: quantized.q },
      { name: 'embed.scale', dims: [], data_type: FLOAT, raw_data: bytesOf(Float32Array.of(quantized.scale)) },
      { name: 'embed.zero', dims: [], data_type: UINT8, raw_data: Uint8Array.of(quantized.zero) },
    );
    node.push({ op_type: 'DequantizeLinear', input: ['embed.q', 'embed.scale', 'embed.zero'], output: ['embed.weight'], name: 'dequant' });
  } else {
    initializer.push(tensor('embed.weight', [vocabulary, width], embedding));
  }
  const transposed = new Float32Array(width * vocabulary);
  for (let v = 0; v < vocabulary; v++) for (let u = 0; u < width; u++) transposed[u * vocabulary + v] = embedding[v * width + u];
  initializer.push(tensor('head.weight', [width, vocabulary], transposed));
  node.push({ op_type: 'Gather', input: ['embed.weight', 'input_ids'], output: ['x0'], name: 'embed' });
  for (let b = 0; b < blocks; b++) {
    initializer.push(tensor(`b${b}.gain`, [width], gains[b]), tensor(`b${b}.bias`, [width], biases[b]), tensor(`b${b}.mix`, [width, width], mixers[b]));
    node.push(
      layerNorm(`b${b}.norm`, `x${b}`, `b${b}.gain`, `b${b}.bias`, `n${b}`),
      { op_type: 'MatMul', input: [`n${b}`, `b${b}.mix`], output: [`q${b}`], name: `b${b}.q` },
      { op_type: 'Transpose', input: [`n${b}`], output: [`k${b}`], name: `b${b}.k`, attribute: [{ name: 'perm', type: 7, ints: [0, 2, 1] }] },
      { op_type: 'MatMul', input: [`q${b}`, `k${b}`], output: [`s${b}`], name: `b${b}.scores` },
      { op_type: 'Softmax', input: [`s${b}`], output: [`p${b}`], name: `b${b}.softmax`, attribute: [{ name: 'axis', type: 2, i: -1 }] },
      { op_type: 'MatMul', input: [`p${b}`, `n${b}`], output: [`a${b}`], name: `b${b}.attend` },
      { op_type: 'Add', input: [`x${b}`, `a${b}`], output: [`x${b + 1}`], name: `b${b}.residual` },
    );
  }
  initializer.push(tensor('final.gain', [width], gains[blocks]), tensor('final.bias', [width], biases[blocks]));
  node.push(
    layerNorm('final.norm', `x${blocks}`, 'final.gain', 'final.bias', 'final'),
    { op_type: 'MatMul', input: ['final', 'head.weight'], output: ['logits'], name: 'head' },
  );
  const valueInfo = (name: string, elemType: number, dims: string[]) => ({
    name,
    type: { tensor_type: { elem_type: elemType, shape: { dim: dims.map((d) => ({ dim_param: d })) } } },
  });
  const model = {
    ir_version: 8,
    producer_name: 'iw test',
    opset_import: [{ domain: '', version: 17 }],
    graph: {
      name: 'synthetic-decoder',
      node,
      initializer,
      input: [valueInfo('input_ids', INT64, ['batch', 'sequence']), valueInfo('attention_mask', INT64, ['batch', 'sequence'])],
      output: [valueInfo('logits', floatType, ['batch', 'sequence', 'vocabulary'])],
    },
  };
  return {
    bytes: encodeModel(model as unknown as OnnxModel),
    vocabulary,
    width,
    blocks,
    embedding,
    hiddenStates: (ids) => referenceHiddenStates(ids, { embedding, mixers, gains, biases, width, blocks }),
  };
}

function layerNorm(name: string, input: string, gain: string, bias: string, output: string): object {
  return { op_type: 'LayerNormalization', input: [input, gain, bias], output: [output], name, attribute: [{ name: 'axis', type: 2, i: -1 }, { name: 'epsilon', type: 1, f: 1e-5 }] };
}

function bytesOf(array: Float32Array | Uint16Array): Uint8Array {
  return new Uint8Array(array.buffer.slice(array.byteOffset, array.byteOffset + array.byteLength));
}

function roundToHalf(values: Float32Array): Float32Array {
  return Float32Array.from(float32ToHalf(values), (bits) => halfBitsToNumber(bits));
}

function maybeHalf(values: Float32Array, fp16: boolean | undefined): Float32Array {
  return fp16 ? roundToHalf(values) : values;
}

/** Half-precision bits → number, written out here independently of src/model/onnx/float16.ts. */
function halfBitsToNumber(bits: number): number {
  const sign = bits >> 15 ? -1 : 1;
  const exponent = (bits >> 10) & 31;
  const fraction = bits & 1023;
  if (exponent === 0) return sign * (fraction / 1024) * 2 ** -14;
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

interface ReferenceWeights {
  embedding: Float32Array;
  mixers: Float32Array[];
  gains: Float32Array[];
  biases: Float32Array[];
  width: number;
  blocks: number;
}

function referenceHiddenStates(ids: readonly number[], w: ReferenceWeights): number[][][] {
  const d = w.width;
  let x = ids.map((id) => Array.from(w.embedding.subarray(id * d, (id + 1) * d), Number));
  const states = [x];
  for (let b = 0; b < w.blocks; b++) {
    const n = x.map((row) => normalise(row, w.gains[b], w.biases[b]));
    const q = n.map((row) => multiply(row, w.mixers[b], d));
    const attended = q.map((qi) => {
      const scores = n.map((nj) => dot(qi, nj));
      const top = Math.max(...scores);
      const weights = scores.map((s) => Math.exp(s - top));
      const total = weights.reduce((a, v) => a + v, 0);
      return Array.from({ length: d }, (_, u) => n.reduce((sum, nj, j) => sum + (weights[j] / total) * nj[u], 0));
    });
    x = x.map((row, i) => row.map((v, u) => v + attended[i][u]));
    states.push(x);
  }
  states[w.blocks] = x.map((row) => normalise(row, w.gains[w.blocks], w.biases[w.blocks]));
  return states;
}

function normalise(row: number[], gain: Float32Array, bias: Float32Array): number[] {
  const mean = row.reduce((a, v) => a + v, 0) / row.length;
  const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / row.length;
  return row.map((v, u) => ((v - mean) / Math.sqrt(variance + 1e-5)) * gain[u] + bias[u]);
}

function multiply(row: number[], matrix: Float32Array, d: number): number[] {
  return Array.from({ length: d }, (_, c) => row.reduce((sum, v, r) => sum + v * matrix[r * d + c], 0));
}

function dot(a: number[], b: number[]): number {
  return a.reduce((sum, v, i) => sum + v * b[i], 0);
}
