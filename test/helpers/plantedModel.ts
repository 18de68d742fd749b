import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeModel, type OnnxModel } from '../../src/model/onnx/onnxProto.js';
import type { WordTokenizer } from '../../src/model/types.js';
import type { Stimuli } from '../../src/stimuli/types.js';
import { createRandom, randomChoice } from '../../src/util/random.js';
import { fixturePath } from './shared.js';

/**
 * A synthetic ONNX "language model" whose layers integrate their input with kernels the test plants, so that
 * the whole pipeline (stimuli → engine → differences → windows → fits) can be checked against a known answer.
 *
 *   layer 0:      x0(t) = E[id(t)]                                  (Gather of input_ids)
 *   layer ℓ ≥ 1:  xℓ,u(t) = Σ_{Δ=0..maxKernelLag} Kℓ,u(Δ) · x0,u(t − Δ)   (causal depthwise convolution; x0 = 0 before t = 0)
 *   Kℓ,u(Δ) = sᵤ · [c(Δ+1)^(−a) + (1−c)e^(−bΔ)]  with (a, b, c) per layer and a scale sᵤ per unit (any sign).
 *
 * Embedding: E[id] = base + (id odd ? v : 0). A swap that replaces an even token at k by an odd one changes the
 * input by exactly v at k, so (everything being linear) |Δxℓ,u(t)| = |Kℓ,u(t − k)| · |vᵤ| for every sequence:
 * D(k, t) = |K(t − k)||vᵤ| and the window Wᵤ(Δ) = |Kℓ,u(Δ)| / |Kℓ,u(0)| = c(Δ+1)^(−a) + (1−c)e^(−bΔ) exactly
 * (f(0) = 1), for every unit; zero beyond maxKernelLag. plantedStimuli makes such swaps from real words.
 *
 * How iw's tap discovery sees it (src/model/taps/tapDiscovery.ts): block i (input xi, i = 0..L−2) opens with a
 * LayerNormalization of xi whose output reaches a Softmax (so it reads as attention) and is then multiplied by
 * 0; the block's residual add is x(i+1) = Add(xi, Sub(convᵢ₊₁(x0), xi) + 0). The last layer, L−1, is the final
 * norm's output: an RMSNorm (decomposed: Pow, ReduceMean, Add ε, Sqrt, Reciprocal, Mul, Mul by a scale) with
 * ε = 2^40 and scale 2^20, which is the identity on these values in float32 (mean square + 2^40 rounds to 2^40,
 * and the two power-of-two factors are exact). So every layer 0..L−1 carries its planted kernel, the last one
 * included. No attention at all: attention_mask is accepted and unused; batch and sequence length are dynamic.
 *
 * Bidirectional variant (`futureKernels`): layer ℓ also integrates the words after t,
 *   xℓ,u(t) = Σ_{Δ=0..maxKernelLag} Kℓ,u(Δ) · x0,u(t − Δ) + Σ_{Δ=1..maxKernelLag} Fℓ,u(Δ) · x0,u(t + Δ)   (x0 = 0 past the end),
 *   Fℓ,u(Δ) = sᵤ · [c′(Δ+1)^(−a′) + (1−c′)e^(−b′Δ)],
 * one Conv with padding on both sides. A swap at k then moves word t = k − Δ by |Fℓ,u(Δ)||vᵤ|: the future window is
 * Fℓ,u(Δ) / Kℓ,u(0) = c′(Δ+1)^(−a′) + (1−c′)e^(−b′Δ) (both kernels are sᵤ at Δ = 0).
 */
export interface PlantedKernel {
  /** Power-law exponent. */
  a: number;
  /** Exponential rate. */
  b: number;
  /** Power-law share in [0, 1]. */
  c: number;
}

export interface PlantedSpec {
  /** Units per layer. */
  width: number;
  /** Kernels of layers 1..L−1 (layer 0 is the embedding), so the model has kernels.length + 1 layers. */
  kernels: PlantedKernel[];
  /** Bidirectional models: each layer's kernel over the words after t (one per entry of `kernels`). */
  futureKernels?: PlantedKernel[];
  /** The longest lag a kernel reaches; K(Δ) = 0 beyond it. */
  maxKernelLag: number;
  /** Factor sᵤ on unit u's kernel in every layer (default: alternating signs, magnitudes from 0.5 to 1.5). */
  unitScales?: number[];
  /** Seed for the embedding's base row and swap direction v (default 1). */
  seed?: number;
}

export interface PlantedModel {
  /** The model folder (hub layout). */
  folder: string;
  /** Layers iw should find: kernels.length + 1. */
  layers: number;
  width: number;
  vocabulary: number;
  maxKernelLag: number;
  /** Kℓ,u(Δ) as stored in the graph (float32); layer 0: 1 at Δ = 0, else 0. */
  kernel(layer: number, unit: number, lag: number): number;
  /** The planted window |Kℓ,u(Δ)| / |Kℓ,u(0)|. */
  window(layer: number, unit: number, lag: number): number;
  /** Bidirectional models: the planted future window |Fℓ,u(Δ)| / |Kℓ,u(0)| (0 everywhere but Δ = 0 for causal ones). */
  futureWindow(layer: number, unit: number, lag: number): number;
  /** E[id], float32 as stored. */
  embeddingRow(id: number): Float32Array;
  /** v: what every even → odd swap adds to the input. */
  swapDirection: Float32Array;
  /** Closed-form activations of one row of ids: [layer] → [tokens × width] (float64). */
  hiddenStates(ids: readonly number[]): Float64Array[];
}

/** The vocabulary of the tokenizer copied in (gutenberg-gpt2-tiny's byte-level BPE). */
const VOCABULARY = 6144;
const TOKENIZER_SOURCE = fixturePath('models', 'gutenberg-gpt2-tiny');
/** Final-norm ε and scale: powers of two that make the RMSNorm an exact identity on activations of size ≪ 2^8. */
const IDENTITY_EPSILON = 2 ** 40;
const IDENTITY_SCALE = 2 ** 20;

export function buildPlantedModel(dir: string, spec: PlantedSpec): PlantedModel {
  if (spec.kernels.length < 1) throw new Error('a planted model needs at least one kernel (two layers)');
  const { width, maxKernelLag } = spec;
  const taps = maxKernelLag + 1;
  const scales = spec.unitScales ?? Array.from({ length: width }, (_, u) => (u % 2 === 0 ? 1 : -1) * (0.5 + u / Math.max(1, width - 1)));
  if (spec.futureKernels && spec.futureKernels.length !== spec.kernels.length) throw new Error('one future kernel per kernel');
  const kernels = spec.kernels.map((k) => Float32Array.from({ length: width * taps }, (_, i) => scales[Math.floor(i / taps)] * mixture(k, i % taps)));
  const futureKernels = spec.futureKernels?.map((k) => Float32Array.from({ length: width * taps }, (_, i) => scales[Math.floor(i / taps)] * mixture(k, i % taps)));
  const random = createRandom(spec.seed ?? 1);
  const base = Float32Array.from({ length: width }, () => random() - 0.5);
  const swapDirection = Float32Array.from({ length: width }, () => (random() < 0.5 ? -1 : 1) * (0.5 + random()));
  const embedding = new Float32Array(VOCABULARY * width);
  for (let id = 0; id < VOCABULARY; id++) for (let u = 0; u < width; u++) embedding[id * width + u] = base[u] + (id % 2 === 1 ? swapDirection[u] : 0);

  mkdirSync(join(dir, 'onnx'), { recursive: true });
  for (const file of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(TOKENIZER_SOURCE, file), join(dir, file));
  const config = {
    model_type: 'planted',
    n_embd: width,
    n_layer: spec.kernels.length,
    n_head: 1,
    n_positions: 256,
    vocab_size: VOCABULARY,
    planted: { kernels: spec.kernels, maxKernelLag, unitScales: scales, seed: spec.seed ?? 1 },
  };
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  writeFileSync(join(dir, 'onnx', 'model.onnx'), encodeModel(plantedGraph(width, maxKernelLag, embedding, kernels, futureKernels)));

  /** K(Δ) for Δ ≥ 0 (a word Δ before t); F(−Δ) for Δ < 0 (a word −Δ after t). */
  const kernel = (layer: number, unit: number, lag: number): number => {
    if (Math.abs(lag) > maxKernelLag) return 0;
    if (layer === 0) return lag === 0 ? 1 : 0;
    if (lag >= 0) return kernels[layer - 1][unit * taps + lag];
    return futureKernels ? futureKernels[layer - 1][unit * taps - lag] : 0;
  };
  return {
    folder: dir,
    layers: spec.kernels.length + 1,
    width,
    vocabulary: VOCABULARY,
    maxKernelLag,
    kernel,
    window: (layer, unit, lag) => Math.abs(kernel(layer, unit, lag)) / Math.abs(kernel(layer, unit, 0)),
    futureWindow: (layer, unit, lag) => Math.abs(kernel(layer, unit, -lag)) / Math.abs(kernel(layer, unit, 0)),
    embeddingRow: (id) => embedding.slice(id * width, (id + 1) * width),
    swapDirection,
    hiddenStates: (ids) => Array.from({ length: spec.kernels.length + 1 }, (_, layer) => convolve(ids, embedding, width, (u, lag) => kernel(layer, u, lag), maxKernelLag)),
  };
}

/** f(Δ) = c(Δ+1)^(−a) + (1−c)e^(−bΔ), the curve docs/method.md §5 fits. */
function mixture({ a, b, c }: PlantedKernel, lag: number): number {
  return c * (lag + 1) ** -a + (1 - c) * Math.exp(-b * lag);
}

function convolve(ids: readonly number[], embedding: Float32Array, width: number, kernel: (unit: number, lag: number) => number, maxLag: number): Float64Array {
  const out = new Float64Array(ids.length * width);
  for (let t = 0; t < ids.length; t++) {
    for (let u = 0; u < width; u++) {
      let sum = 0;
      for (let lag = -Math.min(ids.length - 1 - t, maxLag); lag <= Math.min(t, maxLag); lag++) sum += kernel(u, lag) * embedding[ids[t - lag] * width + u];
      out[t * width + u] = sum;
    }
  }
  return out;
}

const FLOAT = 1;
const INT64 = 7;
const ATTRIBUTE = { FLOAT: 1, INT: 2, INTS: 7 } as const;

/** The ONNX graph (opset 17) described at the top of this file. */
function plantedGraph(width: number, maxKernelLag: number, embedding: Float32Array, kernels: Float32Array[], futureKernels?: Float32Array[]): OnnxModel {
  const taps = maxKernelLag + 1;
  const span = futureKernels ? 2 * maxKernelLag + 1 : taps;
  const blocks = kernels.length;
  const initializer: object[] = [
    floats('embed.weight', [VOCABULARY, width], embedding),
    floats('zero', [], Float32Array.of(0)),
    floats('norm.scale', [width], new Float32Array(width).fill(1)),
    floats('norm.bias', [width], new Float32Array(width)),
    floats('final.exponent', [], Float32Array.of(2)),
    floats('final.epsilon', [], Float32Array.of(IDENTITY_EPSILON)),
    floats('final.scale', [width], new Float32Array(width).fill(IDENTITY_SCALE)),
    floats('head.weight', [width, VOCABULARY], transpose(embedding, VOCABULARY, width)),
  ];
  const node: object[] = [
    op('Gather', ['embed.weight', 'input_ids'], 'hidden.0'),
    op('Transpose', ['hidden.0'], 'embedded.channels', [ints('perm', [0, 2, 1])]),
  ];
  for (let block = 0; block < blocks; block++) {
    const [x, next, p] = [`hidden.${block}`, `hidden.${block + 1}`, `block${block}`];
    // Conv is a cross-correlation over the padded input: y(t) = Σ_j w(j)·x(t + j − maxLag), so w(j) = K(maxLag − j)
    // for j ≤ maxLag and, with future kernels (padded on the right too), w(j) = F(j − maxLag) after it.
    const weight = (unit: number, j: number) => j <= maxKernelLag
      ? kernels[block][unit * taps + (maxKernelLag - j)]
      : futureKernels![block][unit * taps + (j - maxKernelLag)];
    initializer.push(floats(`${p}.kernel`, [width, 1, span], Float32Array.from({ length: width * span }, (_, i) => weight(Math.floor(i / span), i % span))));
    node.push(
      op('LayerNormalization', [x, 'norm.scale', 'norm.bias'], `${p}.normed`, [int('axis', -1), float('epsilon', 1e-5)]),
      op('Softmax', [`${p}.normed`], `${p}.attention`, [int('axis', -1)]),
      op('Mul', [`${p}.attention`, 'zero'], `${p}.silent`),
      op('Conv', ['embedded.channels', `${p}.kernel`], `${p}.conv.channels`, [int('group', width), ints('kernel_shape', [span]), ints('pads', [maxKernelLag, span - taps])]),
      op('Transpose', [`${p}.conv.channels`], `${p}.conv`, [ints('perm', [0, 2, 1])]),
      op('Sub', [`${p}.conv`, x], `${p}.replacement`),
      op('Add', [`${p}.replacement`, `${p}.silent`], `${p}.update`),
      op('Add', [x, `${p}.update`], next),
    );
  }
  const last = `hidden.${blocks}`;
  node.push(
    op('Pow', [last, 'final.exponent'], 'final.square'),
    op('ReduceMean', ['final.square'], 'final.meanSquare', [ints('axes', [-1]), int('keepdims', 1)]),
    op('Add', ['final.meanSquare', 'final.epsilon'], 'final.shifted'),
    op('Sqrt', ['final.shifted'], 'final.rms'),
    op('Reciprocal', ['final.rms'], 'final.inverseRms'),
    op('Mul', [last, 'final.inverseRms'], 'final.normalised'),
    op('Mul', ['final.normalised', 'final.scale'], 'final'),
    op('MatMul', ['final', 'head.weight'], 'logits'),
  );
  const dynamic = (name: string, type: number, dims: string[]) => ({
    name,
    type: { tensor_type: { elem_type: type, shape: { dim: dims.map((d) => ({ dim_param: d })) } } },
  });
  return {
    ir_version: 8,
    opset_import: [{ domain: '', version: 17 }],
    graph: {
      name: 'planted-integration-windows',
      node,
      initializer,
      input: [dynamic('input_ids', INT64, ['batch', 'sequence']), dynamic('attention_mask', INT64, ['batch', 'sequence'])],
      output: [dynamic('logits', FLOAT, ['batch', 'sequence', 'vocabulary'])],
    },
  } as unknown as OnnxModel;
}

function op(opType: string, input: string[], output: string, attribute: object[] = []): object {
  return { op_type: opType, name: output, input, output: [output], attribute };
}

function int(name: string, i: number): object {
  return { name, type: ATTRIBUTE.INT, i };
}

function float(name: string, f: number): object {
  return { name, type: ATTRIBUTE.FLOAT, f };
}

function ints(name: string, values: number[]): object {
  return { name, type: ATTRIBUTE.INTS, ints: values };
}

function floats(name: string, dims: number[], values: Float32Array): object {
  return { name, dims, data_type: FLOAT, raw_data: new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)) };
}

function transpose(matrix: Float32Array, rows: number, columns: number): Float32Array {
  const out = new Float32Array(matrix.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) out[c * rows + r] = matrix[r * columns + c];
  return out;
}

/**
 * Words of the copied tokenizer that are one token after a space, split by that token's parity: `even` words
 * embed to the base row, `odd` ones to base + v. `evenFirst` and `oddFirst` are those whose form first in a text
 * (no space before) is also one token of the same parity: the only ones that may stand at word 0.
 */
export interface PlantedWords {
  even: string[];
  odd: string[];
  evenFirst: string[];
  oddFirst: string[];
}

export function plantedWords(tokenizer: WordTokenizer): PlantedWords {
  if (!tokenizer.tokenText) throw new Error('plantedWords needs a tokenizer that can show its tokens (tokenText)');
  const words: PlantedWords = { even: [], odd: [], evenFirst: [], oddFirst: [] };
  for (let id = 0; id < tokenizer.vocabularySize; id++) {
    const match = /^ ([a-z]{2,})$/.exec(tokenizer.tokenText(id));
    if (!match) continue;
    const word = match[1];
    const later = tokenizer.wordTokenIds(word);
    if (later.length !== 1 || later[0] !== id) continue;
    const parity = id % 2 === 0 ? 'even' : 'odd';
    words[parity].push(word);
    const first = tokenizer.tokenizeWords([word]).ids;
    if (first.length === 1 && first[0] % 2 === id % 2) words[`${parity}First`].push(word);
  }
  return words;
}

/**
 * Window stimuli (iw-stimuli/1) for a planted model: every original word even, every replacement odd, so each
 * swap adds exactly v to the input at its position and the measured windows are the planted ones.
 */
export function plantedStimuli(tokenizer: WordTokenizer, options: { sequences: number; words: number; seed: number }): Stimuli {
  const words = plantedWords(tokenizer);
  const random = createRandom(options.seed);
  const sequences = Array.from({ length: options.sequences }, () => ({
    words: Array.from({ length: options.words }, (_, i) => randomChoice(random, i === 0 ? words.evenFirst : words.even)),
    swaps: Array.from({ length: options.words }, (_, i) => randomChoice(random, i === 0 ? words.oddFirst : words.odd)),
  }));
  return {
    format: 'iw-stimuli/1',
    sequences,
    meta: { kind: 'planted', note: 'originals are even-id single tokens, replacements odd-id single tokens (test/helpers/plantedModel.ts)', seed: options.seed },
  };
}
