import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, padBatch } from '../../src/model/index.js';
import type { ForwardInput, LanguageModel, PastKeyValues } from '../../src/model/types.js';
import { describeWithShared, sharedPath } from '../helpers/shared.js';
import { ids, maxAbsDifference, ones, sampleWords, stories, tinyGpt2, tokenRows } from './modelTestKit.js';

/** Runs `rest` after a past, with an all-ones mask and the model's own positions. */
async function continueFrom(model: LanguageModel, past: PastKeyValues, rest: number[], layers: number[]) {
  const input: ForwardInput = { batchSize: 1, sequenceLength: rest.length, inputIds: ids(rest), attentionMask: ones(past.length + rest.length), past };
  return model.forward(input, { layers });
}

function allLayers(model: LanguageModel): number[] {
  return model.taps.map((t) => t.layer);
}

/** Max difference between a full run's tokens [from, to) and a continuation's taps, over all layers. */
function continuationError(model: LanguageModel, full: Map<number, Float32Array>, fullLength: number, part: Map<number, Float32Array>, from: number, to: number): number {
  return Math.max(...allLayers(model).map((layer) => {
    const width = model.taps[layer].width;
    return maxAbsDifference(tokenRows(full.get(layer)!, 0, fullLength, width, from, to), part.get(layer)!);
  }));
}

/** A prefix run, then the rest with its past, equals one full run. */
async function prefixPlusPastError(model: LanguageModel, tokens: number[], split: number): Promise<number> {
  const layers = allLayers(model);
  const full = await model.forward(padBatch([tokens], model.acceptsPositionIds), { layers });
  const prefix = await model.forward(padBatch([tokens.slice(0, split)], model.acceptsPositionIds), { layers, wantPresent: true });
  expect(prefix.present!.length).toBe(split);
  const rest = await continueFrom(model, prefix.present!, tokens.slice(split), layers);
  return continuationError(model, full.taps, tokens.length, rest.taps, split, tokens.length);
}

/**
 * The fast engine's trick: one shared past of the whole original sequence, with the keys from `swap` on masked
 * out and explicit positions, must give the taps of the true past of length `swap`. Two rows with different
 * swap positions share one batch. Returns the largest difference over rows and layers, absolute and relative
 * to the layer's largest value (stories260K's last layer reaches 17, where float32 steps are 2e-6).
 */
async function pastWithHolesError(model: LanguageModel, tokens: number[], swaps: [number, number], replacement: number): Promise<{ absolute: number; relative: number }> {
  const layers = allLayers(model);
  const original = await model.forward(padBatch([tokens], true), { layers, wantPresent: true });
  const shared = original.present!;
  const newLength = 4;
  const total = shared.length + newLength;
  const rows = swaps.map((swap) => [replacement, ...tokens.slice(swap + 1, swap + newLength)]);
  const mask = new BigInt64Array(2 * total);
  const positions = new BigInt64Array(2 * newLength);
  swaps.forEach((swap, r) => {
    for (let p = 0; p < swap; p++) mask[r * total + p] = 1n; // keys at and after the swap are holes
    for (let i = 0; i < newLength; i++) {
      mask[r * total + shared.length + i] = 1n;
      positions[r * newLength + i] = BigInt(swap + i);
    }
  });
  const stack = (tensors: Float32Array[]) => tensors.map((t) => Float32Array.from([...t, ...t]));
  const past: PastKeyValues = { batchSize: 2, length: shared.length, keys: stack(shared.keys), values: stack(shared.values) };
  const withHoles = await model.forward(
    { batchSize: 2, sequenceLength: newLength, inputIds: ids(rows.flat()), attentionMask: mask, positionIds: positions, past },
    { layers },
  );
  let absolute = 0;
  let relative = 0;
  for (const [r, swap] of swaps.entries()) {
    const truePast = await model.forward(padBatch([tokens.slice(0, swap)], true), { layers, wantPresent: true });
    const reference = await continueFrom(model, truePast.present!, rows[r], layers);
    for (const layer of layers) {
      const width = model.taps[layer].width;
      const expected = reference.taps.get(layer)!;
      const difference = maxAbsDifference(tokenRows(withHoles.taps.get(layer)!, r, newLength, width, 0, newLength), expected);
      absolute = Math.max(absolute, difference);
      relative = Math.max(relative, difference / Math.max(...Array.from(expected, Math.abs)));
    }
  }
  return { absolute, relative };
}

/** Sequences of unequal length batched (right padding) give each real token the taps it gets alone. */
async function batchingError(model: LanguageModel): Promise<number> {
  const layers = allLayers(model);
  const sequences = [sampleWords.slice(0, 9), sampleWords.slice(10, 13), sampleWords.slice(20, 40)].map((w) => model.tokenizer.tokenizeWords(w).ids);
  const batch = padBatch(sequences, model.acceptsPositionIds);
  const together = await model.forward(batch, { layers });
  let worst = 0;
  for (const [r, tokens] of sequences.entries()) {
    const alone = await model.forward(padBatch([tokens], model.acceptsPositionIds), { layers });
    for (const layer of layers) {
      const width = model.taps[layer].width;
      worst = Math.max(worst, maxAbsDifference(tokenRows(together.taps.get(layer)!, r, batch.sequenceLength, width, 0, tokens.length), alone.taps.get(layer)!));
    }
  }
  return worst;
}

describe('forward passes on stories260K (Llama, with past and position ids)', () => {
  let model: LanguageModel;
  let tokens: number[];
  beforeAll(async () => {
    model = await loadModel({ model: stories, threads: 1 });
    tokens = model.tokenizer.tokenizeWords(sampleWords.slice(0, 24)).ids;
  });
  afterAll(async () => { await model?.dispose(); });

  it('says what it accepts', () => {
    expect(model.acceptsPast).toBe(true);
    expect(model.acceptsPositionIds).toBe(true);
    // config.json: 5 layers, 4 key/value heads, head_dim 8.
    expect(model.pastLayout).toEqual({ blocks: 5, kvHeads: 4, headDim: 8 });
  });

  it('a prefix and then its past equals one full run', async () => {
    expect(await prefixPlusPastError(model, tokens, 9)).toBeLessThan(1e-5);
  });

  it('a shared past with the keys after the swap masked out equals the true shorter past', async () => {
    const { absolute, relative } = await pastWithHolesError(model, tokens, [5, 11], tokens[3]);
    console.log(`stories260K: past with holes vs true past, max difference ${absolute.toExponential(2)} (relative ${relative.toExponential(2)})`);
    expect(absolute).toBeLessThan(3e-5);
    expect(relative).toBeLessThan(1e-5);
  });

  it('batching with padding leaves every real token\'s taps unchanged', async () => {
    expect(await batchingError(model)).toBeLessThan(1e-5);
  });

  it('returns only the layers asked for, each [batch, tokens, width]', async () => {
    const output = await model.forward(padBatch([tokens.slice(0, 5), tokens.slice(0, 3)], true), { layers: [2, 5] });
    expect([...output.taps.keys()]).toEqual([2, 5]);
    expect(output.taps.get(2)!.length).toBe(2 * 5 * 64);
    expect(output.present).toBeUndefined();
    expect(output.logits).toBeUndefined();
  });

  it('refuses inputs longer than the context, giving both lengths', async () => {
    const long = Array.from({ length: 513 }, () => tokens[1]);
    await expect(model.forward(padBatch([long], true), { layers: [0] })).rejects.toThrow(/513 tokens long, but .* takes at most 512/);
  });
});

describe('forward passes on gutenberg-gpt2-tiny (no past inputs, positions counted inside)', () => {
  let model: LanguageModel;
  beforeAll(async () => { model = await loadModel({ model: tinyGpt2, threads: 1 }); });
  afterAll(async () => { await model?.dispose(); });

  it('says it takes neither a past nor position ids', () => {
    expect(model.acceptsPast).toBe(false);
    expect(model.acceptsPositionIds).toBe(false);
  });

  it('batching with right padding leaves every real token\'s taps unchanged', async () => {
    expect(await batchingError(model)).toBeLessThan(1e-5);
  });

  it('refuses a past it cannot take, and keys/values it does not return', async () => {
    const past: PastKeyValues = { batchSize: 1, length: 1, keys: [new Float32Array(64), new Float32Array(64)], values: [new Float32Array(64), new Float32Array(64)] };
    await expect(model.forward({ batchSize: 1, sequenceLength: 1, inputIds: ids([5]), attentionMask: ones(2), past }, { layers: [0] })).rejects.toThrow(/takes no past/);
    await expect(model.forward(padBatch([[5]], false), { layers: [0], wantPresent: true })).rejects.toThrow(/returns no keys\/values/);
  });

  it('refuses a layer it does not have', async () => {
    await expect(model.forward(padBatch([[5]], false), { layers: [7] })).rejects.toThrow(/layer 7 does not exist/);
  });
});

describeWithShared('forward passes on gutenberg-gpt2-small (GPT-2, with past and position ids)', () => {
  let model: LanguageModel;
  let tokens: number[];
  beforeAll(async () => {
    model = await loadModel({ model: sharedPath('models', 'gutenberg-gpt2-small') });
    tokens = model.tokenizer.tokenizeWords(sampleWords.slice(0, 30)).ids;
  });
  afterAll(async () => { await model?.dispose(); });

  it('a prefix and then its past equals one full run', async () => {
    expect(await prefixPlusPastError(model, tokens, 12)).toBeLessThan(1e-5);
  });

  it('a shared past with the keys after the swap masked out equals the true shorter past', async () => {
    const { absolute, relative } = await pastWithHolesError(model, tokens, [4, 17], tokens[2]);
    console.log(`gutenberg-gpt2-small: past with holes vs true past, max difference ${absolute.toExponential(2)} (relative ${relative.toExponential(2)})`);
    expect(absolute).toBeLessThan(1e-5);
  });

  it('batching with padding leaves every real token\'s taps unchanged', async () => {
    expect(await batchingError(model)).toBeLessThan(1e-5);
  });
});
