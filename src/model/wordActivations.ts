import { UserError } from '../util/errors.js';
import type { ForwardInput, ForwardOutput, ForwardRequest, TokenizedWords, WordLayerActivations, WordTokenizer } from './types.js';
import { groupByLength, padBatch } from './batching.js';

/**
 * Each word's activation at each layer: the mean of its tokens' vectors (docs/method.md §2), for many
 * sequences run in length-sorted batches. Results come back in the order the sequences were given.
 */
export interface WordActivationModel {
  tokenizer: WordTokenizer;
  acceptsPositionIds: boolean;
  contextLength: number;
  label: string;
  forward(input: ForwardInput, request: ForwardRequest): Promise<ForwardOutput>;
}

/** Padded tokens per batch: large enough to keep the cores busy, small enough for taps of big models. */
export const DEFAULT_TOKEN_BUDGET = 2048;

export async function computeWordActivations(
  model: WordActivationModel,
  sequences: readonly (readonly string[])[],
  layers: readonly number[],
  widthOf: (layer: number) => number,
  tokenBudget = DEFAULT_TOKEN_BUDGET,
): Promise<WordLayerActivations[][]> {
  const tokenized = sequences.map((words, s) => tokenizeWithinContext(model, words, s));
  const results: WordLayerActivations[][] = new Array(sequences.length);
  for (const batch of groupByLength(tokenized.map((t) => t.ids.length), tokenBudget)) {
    const input = padBatch(batch.map((s) => tokenized[s].ids), model.acceptsPositionIds);
    const output = await model.forward(input, { layers });
    batch.forEach((s, row) => {
      results[s] = layers.map((layer) => {
        const width = widthOf(layer);
        const values = meanOverWords(output.taps.get(layer)!, row, input.sequenceLength, width, tokenized[s].wordSpans);
        return { layer, width, values };
      });
    });
  }
  return results;
}

function tokenizeWithinContext(model: WordActivationModel, words: readonly string[], index: number): TokenizedWords {
  const tokens = model.tokenizer.tokenizeWords(words);
  if (tokens.ids.length > model.contextLength) {
    throw new UserError(`sequence ${index + 1} is ${tokens.ids.length} tokens long, but ${model.label} takes at most ${model.contextLength} (its context)`);
  }
  return tokens;
}

/** [words × width]: row `row` of a [batch, sequenceLength, width] tap, averaged over each word's tokens. */
export function meanOverWords(
  tap: Float32Array,
  row: number,
  sequenceLength: number,
  width: number,
  spans: ReadonlyArray<readonly [number, number]>,
): Float32Array {
  const out = new Float32Array(spans.length * width);
  spans.forEach(([start, end], w) => {
    for (let t = start; t < end; t++) {
      const from = (row * sequenceLength + t) * width;
      for (let u = 0; u < width; u++) out[w * width + u] += tap[from + u];
    }
    const count = end - start;
    for (let u = 0; u < width; u++) out[w * width + u] /= count;
  });
  return out;
}
