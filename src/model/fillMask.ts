import { UserError } from '../util/index.js';
import { isMaskedLmConfig } from './attentionDirection.js';
import { groupByLength, padBatch } from './session/batching.js';
import { checkWithinContext } from './session/contextCheck.js';
import { loadModel } from './languageModel.js';
import { resolveModel } from './hub/resolve.js';
import { EncoderWordTokenizer } from './tokenizer/encoderWords.js';
import type { LanguageModel, LoadModelOptions, MaskedContext, WordPredictor } from './types.js';

/** How the fill-mask model is loaded: as loadModel loads one (prefixSpace: the rule for its masked contexts), never a twin. */
export type FillMaskOptions = Omit<LoadModelOptions, 'logits' | 'untrained'> & { untrained?: undefined };

/** Logits a batch may hold (batch × tokens × vocabulary × 4 bytes): a few hundred megabytes at most. */
const LOGIT_BYTES_PER_BATCH = 256 * 1024 ** 2;

export async function loadFillMaskModel(options: FillMaskOptions): Promise<FillMaskModel> {
  const model = await loadModel({ ...options, logits: 'all' });
  const tokenizer = model.tokenizer;
  if (!isMaskedLmConfig(model.resolved.config) || !(tokenizer instanceof EncoderWordTokenizer) || tokenizer.maskTokenId === undefined) {
    await model.dispose();
    throw new UserError(`${options.model} is not a fill-mask model (its config.json names no *ForMaskedLM architecture, or its tokenizer has no mask token): --swap probable needs a masked LM such as bert-base-uncased as --swap-model`);
  }
  return new FillMaskModel(model, tokenizer);
}

/**
 * The fill-mask model of `--swap probable`: --swap-model when given, else --model when it is a masked LM (for an
 * untrained run, the trained model it names: both are measured on the same swaps).
 */
export async function loadSwapModel(options: Omit<FillMaskOptions, 'model'> & { swapModel?: string; model: string }): Promise<FillMaskModel> {
  const { swapModel, model, ...rest } = options;
  // --revision chooses a version of --model, not of another repo named by --swap-model.
  if (swapModel) return loadFillMaskModel({ ...rest, revision: undefined, model: swapModel });
  const resolved = await resolveModel({ ...rest, model });
  if (!isMaskedLmConfig(resolved.config)) {
    throw new UserError(`--swap probable needs a fill-mask model: give --swap-model ID|DIR (a masked LM such as bert-base-uncased, exported to ONNX); --model ${model} is not one (its config.json names no *ForMaskedLM architecture)`);
  }
  return loadFillMaskModel({ ...rest, model });
}

/**
 * A fill-mask model (a masked LM: BERT, RoBERTa and their exports) as the probable swap rule uses it: each context
 * in the model's usual input form with one word replaced by the mask token (encoderWords.ts), run in batches of
 * similar length with logits kept, and its vocabulary ranked at the mask. A token counts as a word when it begins a
 * word and is the whole word ("Ġriver" in byte-level BPE, "river" in WordPiece; not "##er", not a piece without
 * "Ġ"): EncoderWordTokenizer.wholeWordOf.
 */
export class FillMaskModel implements WordPredictor {
  readonly id: string;
  private readonly wholeWords = new Map<number, string | null>();

  constructor(private readonly model: LanguageModel, readonly tokenizer: EncoderWordTokenizer) {
    this.id = model.resolved.id;
  }

  sha256(): Promise<string> {
    return this.model.resolved.sha256();
  }

  async predict(contexts: readonly MaskedContext[], accept: (word: string, context: number) => boolean, count: number): Promise<string[][]> {
    const inputs = contexts.map((context, i) => {
      const input = this.tokenizer.maskedInput(context.words, context.position);
      checkWithinContext(input.ids.length, this.model.resolved.contextLength, `the masked context of word ${context.position + 1} (context ${i + 1})`,
        this.id, 'use fewer words per sequence');
      return input;
    });
    const vocabulary = this.tokenizer.vocabularySize;
    const tokenBudget = Math.max(64, Math.min(8192, Math.floor(LOGIT_BYTES_PER_BATCH / (vocabulary * 4))));
    const ranked: string[][] = new Array(contexts.length);
    for (const batch of groupByLength(inputs.map((input) => input.ids.length), tokenBudget)) {
      const input = padBatch(batch.map((i) => inputs[i].ids), this.model.acceptsPositionIds);
      const output = await this.model.forward(input, { layers: [], wantLogits: true });
      const logits = output.logits;
      if (!logits) throw new Error(`${this.id} returned no logits (the model was loaded without its logits)`);
      const width = logits.length / (input.batchSize * input.sequenceLength);
      batch.forEach((context, row) => {
        const at = (row * input.sequenceLength + inputs[context].maskIndex) * width;
        ranked[context] = this.rankWords(logits.subarray(at, at + width), (word) => accept(word, context), count);
      });
    }
    return ranked;
  }

  dispose(): Promise<void> {
    return this.model.dispose();
  }

  /**
   * Whole words of the vocabulary in order of their logit (ties: lower id first) that `accept` keeps, until `count`.
   * Looks at the best `limit` tokens first and widens only when too few of them are kept words.
   */
  private rankWords(logits: Float32Array, accept: (word: string) => boolean, count: number): string[] {
    for (let limit = Math.max(64, 8 * count); ; limit *= 4) {
      const order = bestTokens(logits, Math.min(limit, logits.length));
      const kept: string[] = [];
      for (const id of order) {
        const word = this.wholeWordOf(id);
        if (word !== null && accept(word) && !kept.includes(word)) kept.push(word);
        if (kept.length === count) return kept;
      }
      if (limit >= logits.length) return kept;
    }
  }

  private wholeWordOf(id: number): string | null {
    let word = this.wholeWords.get(id);
    if (word === undefined) {
      word = this.tokenizer.wholeWordOf(id) ?? null;
      this.wholeWords.set(id, word);
    }
    return word;
  }
}

/** Ids of the `limit` largest logits, largest first, ties by lower id. */
export function bestTokens(logits: Float32Array, limit: number): number[] {
  const ids = Array.from({ length: logits.length }, (_, i) => i);
  if (limit < logits.length) {
    const threshold = Float32Array.from(logits).sort().reverse()[limit - 1];
    const above = ids.filter((id) => logits[id] >= threshold);
    return above.sort((a, b) => logits[b] - logits[a] || a - b).slice(0, limit);
  }
  return ids.sort((a, b) => logits[b] - logits[a] || a - b);
}
