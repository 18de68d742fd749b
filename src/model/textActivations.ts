import { UserError } from '../util/index.js';
import type { FirstWordRule, LanguageModel } from './types.js';
import { padBatch } from './session/batching.js';
import { checkWithinContext } from './session/contextCheck.js';
import { poolWords } from './wordPooling.js';

/** The JSON `iw activations` writes (see textActivations). */
export interface ActivationsReport {
  model: string;
  /** How layers are numbered. */
  layerConvention: string;
  text: string;
  /** Whether the first word was encoded after a space (byte-level BPE with the prefix-space rule on). */
  prefixSpace: boolean;
  /** How the first word got its mid-text form (docs/tokenization.md). */
  firstWord?: FirstWordRule;
  tokens: Array<{ id: number; text: string }>;
  /** Present with per-word values: each word and its tokens [start, end). */
  words?: Array<{ word: string; tokens: [number, number] }>;
  layers: Array<{ layer: number; tensor: string; width: number; values: number[][] }>;
}

export const LAYER_CONVENTION =
  'Hugging Face hidden_states: layer 0 = token + position embedding (positions included, unlike the paper\'s layer 0), ' +
  'layer i = residual stream after block i, last layer = after the final norm';

/**
 * Every requested layer's vectors for one text, per token or per word (mean over the word's tokens), as
 * the JSON `iw activations` writes. The text is split at whitespace and its words joined by single spaces,
 * as for stimuli, and tokenized by the same rule (the first word in its mid-text form unless --no-prefix-space:
 * docs/tokenization.md), so a word's vector here is the one the measurements use.
 */
export async function textActivations(
  model: LanguageModel,
  text: string,
  layers: readonly number[],
  perWord: boolean,
): Promise<ActivationsReport> {
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length === 0) throw new UserError('--text holds no words');
  const tokens = model.tokenizer.tokenizeWords(words);
  checkWithinContext(tokens.ids.length, model.resolved.contextLength, '--text', model.resolved.id);
  const input = padBatch([tokens.ids], model.acceptsPositionIds);
  const output = await model.forward(input, { layers });
  const report: ActivationsReport = {
    model: model.resolved.id,
    layerConvention: LAYER_CONVENTION,
    text: words.join(' '),
    prefixSpace: model.tokenizer.prefixSpace ?? false,
    firstWord: model.tokenizer.firstWord,
    tokens: tokens.ids.map((id) => ({ id, text: model.tokenizer.tokenText?.(id) ?? String(id) })),
    layers: layers.map((layer) => {
      const tap = model.taps[layer];
      const values = output.taps.get(layer);
      if (!values) throw new Error(`the forward pass returned no tap for layer ${layer}`);
      const rows = perWord
        ? poolWords(values, 0, tap.width, tokens.wordSpans, 0)
        : values.subarray(0, tokens.ids.length * tap.width);
      return { layer, tensor: tap.tensor, width: tap.width, values: toRows(rows, tap.width) };
    }),
  };
  if (perWord) report.words = words.map((word, i) => ({ word, tokens: tokens.wordSpans[i] }));
  return report;
}

function toRows(values: Float32Array, width: number): number[][] {
  const rows: number[][] = [];
  for (let start = 0; start < values.length; start += width) rows.push(Array.from(values.subarray(start, start + width)));
  return rows;
}
