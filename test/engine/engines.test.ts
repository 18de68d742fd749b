import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectiveEngine, runSwapEngine, type EngineKind } from '../../src/engine/index.js';
import { loadModel } from '../../src/model/index.js';
import type { LanguageModel } from '../../src/model/types.js';
import type { Stimuli } from '../../src/stimuli/types.js';
import { describeWithShared, fixturePath, sharedPath } from '../helpers/shared.js';
import { RecordingObserver, stimuliFromWords } from './engineKit.js';

// Common words (one token each in these tokenizers) and rarer ones that take several tokens, so that some
// swaps change the token count and shift every later position.
const commonWords = 'the man went to a house and saw that she was not there but he had been in it'.split(' ');
const replacements = [...commonWords, 'extraordinarily', 'unquestionable', 'xylophone', 'zephyrs', 'quintessential'];

async function runEngines(model: LanguageModel, stimuli: Stimuli, engines: EngineKind[], maxLag: number, memoryBudgetBytes?: number) {
  const layers = model.taps.map((t) => t.layer);
  const results = new Map<EngineKind, RecordingObserver>();
  for (const engine of engines) {
    const observer = new RecordingObserver();
    await runSwapEngine(model, stimuli, { engine, layers, maxLag, memoryBudgetBytes }, observer);
    results.set(engine, observer);
  }
  return results;
}

/**
 * Largest difference between two engines' |h(swapped) − h(original)|, relative to the mean lag-0 effect of
 * the layer (docs/method.md §8: the fast engine must give the reference's numbers).
 */
function relativeDisagreement(a: RecordingObserver, b: RecordingObserver, stimuli: Stimuli, layer: number, width: number): number {
  let worst = 0, lagZeroSum = 0, lagZeroCount = 0;
  stimuli.sequences.forEach((sequence, s) => {
    sequence.swaps.forEach((_, k) => {
      const da = a.differences(s, k, layer, width), db = b.differences(s, k, layer, width);
      expect(da.length).toBe(db.length);
      for (let i = 0; i < da.length; i++) worst = Math.max(worst, Math.abs(da[i] - db[i]));
      for (let u = 0; u < width; u++) { lagZeroSum += da[u]; lagZeroCount++; }
    });
  });
  return worst / (lagZeroSum / lagZeroCount);
}

function expectEnginesAgree(results: Map<EngineKind, RecordingObserver>, model: LanguageModel, stimuli: Stimuli, reference: EngineKind, other: EngineKind, tolerance: number) {
  for (const tap of model.taps) {
    const disagreement = relativeDisagreement(results.get(reference)!, results.get(other)!, stimuli, tap.layer, tap.width);
    expect(disagreement, `layer ${tap.layer}`).toBeLessThan(tolerance);
  }
}

describe('engines on stories260K (Llama, with past)', () => {
  let model: LanguageModel;
  beforeAll(async () => { model = await loadModel({ model: fixturePath('models', 'stories260K'), threads: 2 }); });
  afterAll(async () => { await model?.dispose(); });

  it('fast and truncated give the naive engine\'s differences, first and last words and token-count changes included', async () => {
    expect(effectiveEngine('fast', model)).toBe('fast');
    const stimuli = stimuliFromWords(commonWords, 3, 14, replacements, 5);
    const results = await runEngines(model, stimuli, ['naive', 'fast', 'truncated'], 5);
    // Every swap position, first (k = 0) and last (k = 13) included, was handed on by every engine.
    for (const observer of results.values()) expect(observer.bands.size).toBe(3 * 14 * model.taps.length);
    expectEnginesAgree(results, model, stimuli, 'naive', 'fast', 1e-5);
    expectEnginesAgree(results, model, stimuli, 'naive', 'truncated', 1e-5);
  });

  it('gives the very same bits whatever the batch size and whichever sequences share a run (canonical padding)', async () => {
    const stimuli = stimuliFromWords(commonWords, 4, 10, replacements, 6);
    const layers = model.taps.map((t) => t.layer);
    const small = new RecordingObserver(), large = new RecordingObserver(), part = new RecordingObserver();
    await runSwapEngine(model, stimuli, { engine: 'fast', layers, maxLag: 4, memoryBudgetBytes: 1 }, small);
    await runSwapEngine(model, stimuli, { engine: 'fast', layers, maxLag: 4 }, large);
    await runSwapEngine(model, stimuli, { engine: 'fast', layers, maxLag: 4, sequences: [1, 3] }, part);
    expect(small.bands.size).toBe(large.bands.size);
    for (const [key, band] of large.bands) expect(Array.from(small.bands.get(key) ?? []), key).toEqual(Array.from(band));
    for (const [key, band] of part.bands) expect(Array.from(band), key).toEqual(Array.from(large.bands.get(key) ?? []));
    expect(part.bands.size).toBe(large.bands.size / 2);
    // swaps reported done are neither run nor handed on; a sequence with none left is not run at all
    const resumed = new RecordingObserver();
    const statistics = await runSwapEngine(model, stimuli, {
      engine: 'fast', layers, maxLag: 4, isDone: (s, k) => s < 2 || (s === 2 && k < 5),
    }, resumed);
    expect(resumed.bands.size).toBe((5 + 10) * layers.length);
    expect(statistics.forwardPasses).toBe(4 * 11);
    expect(statistics.forwardPassesRun).toBe(2 + 15);
    for (const [key, band] of resumed.bands) expect(Array.from(band), key).toEqual(Array.from(large.bands.get(key) ?? []));
  });
});

describe('engines on gutenberg-gpt2-tiny (no past inputs)', () => {
  it('falls back to truncated passes, which match the naive engine', async () => {
    const model = await loadModel({ model: fixturePath('models', 'gutenberg-gpt2-tiny'), threads: 2 });
    try {
      expect(effectiveEngine('fast', model)).toBe('truncated');
      const stimuli = stimuliFromWords(commonWords, 2, 12, replacements, 7);
      const results = await runEngines(model, stimuli, ['naive', 'fast'], 4);
      expectEnginesAgree(results, model, stimuli, 'naive', 'fast', 1e-5);
    } finally {
      await model.dispose();
    }
  });
});

describeWithShared('engines on gutenberg-gpt2-small (GPT-2, with past)', () => {
  it('fast gives the naive engine\'s differences', async () => {
    const model = await loadModel({ model: sharedPath('models', 'gutenberg-gpt2-small'), threads: 2 });
    try {
      const stimuli = stimuliFromWords(commonWords, 3, 30, replacements, 8);
      const results = await runEngines(model, stimuli, ['naive', 'fast'], 8);
      expectEnginesAgree(results, model, stimuli, 'naive', 'fast', 1e-5);
    } finally {
      await model.dispose();
    }
  });
});
