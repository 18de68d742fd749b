import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectiveEngine, runSwapEngine, type EngineKind } from '../../src/engine/index.js';
import { loadModel } from '../../src/model/index.js';
import type { LanguageModel } from '../../src/model/types.js';
import type { Stimuli } from '../../src/stimuli/types.js';
import { describeWithShared, fixturePath, sharedPath } from '../helpers/shared.js';
import { RecordingObserver, stimuliFromWords } from './engineKit.js';
import { withDynamicQuantization } from './dynamicQuantization.js';
import { removeDir } from '../model/modelTestKit.js';
import { dirname } from 'node:path';

/**
 * Models whose fast-engine batches (stacked pasts with masked empty slots, padded new tokens) are not what the model
 * computes on a text alone: GroupQueryAttention, sliding-window attention, DynamicQuantizeLinear. iw finds them when
 * it loads the model and runs an exact path instead; the default engine must then give --engine naive's numbers
 * (1e-6 of the layer's mean lag-0 effect), and the test shows what the inexact path would have given.
 */
const commonWords = 'the man went to a house and saw that she was not there but he had been in it'.split(' ');
const replacements = [...commonWords, 'extraordinarily', 'unquestionable', 'xylophone', 'zephyrs'];

async function record(model: LanguageModel, stimuli: Stimuli, engine: EngineKind): Promise<{ observer: RecordingObserver; ran: EngineKind }> {
  const observer = new RecordingObserver();
  const statistics = await runSwapEngine(model, stimuli, { engine, layers: model.taps.map((t) => t.layer), maxLag: 5 }, observer);
  return { observer, ran: statistics.engine };
}

/** Largest |difference| between two runs' swap effects on any layer, over the mean lag-0 effect of that layer. */
function worstDisagreement(model: LanguageModel, stimuli: Stimuli, a: RecordingObserver, b: RecordingObserver): number {
  let worst = 0;
  for (const { layer, width } of model.taps) {
    let largest = 0, lagZero = 0, count = 0;
    stimuli.sequences.forEach((sequence, s) => sequence.swaps.forEach((_, k) => {
      const da = a.differences(s, k, layer, width), db = b.differences(s, k, layer, width);
      for (let i = 0; i < da.length; i++) largest = Math.max(largest, Math.abs(da[i] - db[i]));
      for (let u = 0; u < width; u++) { lagZero += da[u]; count++; }
    }));
    worst = Math.max(worst, largest / (lagZero / count));
  }
  return worst;
}

/** The model as if nothing made its past inexact (what iw did before): to show the difference the exact path makes. */
function withoutReasons(model: LanguageModel): LanguageModel {
  return { ...model, tokenizer: model.tokenizer, inexactPast: [], forward: (input, request) => model.forward(input, request), dispose: async () => {} } as LanguageModel;
}

async function expectExactDefault(model: LanguageModel, stimuli: Stimuli, expectedEngine: EngineKind, tolerance = 1e-6): Promise<{ exact: number; inexact: number }> {
  const naive = await record(model, stimuli, 'naive');
  const fast = await record(model, stimuli, 'fast');
  expect(fast.ran).toBe(expectedEngine);
  const exact = worstDisagreement(model, stimuli, naive.observer, fast.observer);
  const inexact = worstDisagreement(model, stimuli, naive.observer, (await record(withoutReasons(model), stimuli, 'fast')).observer);
  expect(exact).toBeLessThan(tolerance);
  return { exact, inexact };
}

describe('DynamicQuantizeLinear (every MatMul activation of stories260K quantized with one dynamic scale)', () => {
  let folder: string;
  let model: LanguageModel;
  beforeAll(async () => {
    folder = withDynamicQuantization(fixturePath('models', 'stories260K'));
    model = await loadModel({ model: folder, threads: 2 });
  });
  afterAll(async () => {
    await model?.dispose();
    removeDir(dirname(folder));
  });

  it('is found at load, naming the op', () => {
    expect(model.inexactPast).toEqual([{ kind: 'position-mixing', detail: expect.stringMatching(/^DynamicQuantizeLinear \(36 nodes\)/) as unknown as string }]);
    expect(effectiveEngine('fast', model)).toBe('naive');
    expect(effectiveEngine('truncated', model)).toBe('naive');
  });

  it('runs every swap as a whole sequence alone: the default engine equals naive, where stacked batches did not', async () => {
    const stimuli = stimuliFromWords(commonWords, 3, 12, replacements, 5);
    const { exact, inexact } = await expectExactDefault(model, stimuli, 'naive');
    console.log(`DynamicQuantizeLinear stand-in: default vs naive ${exact.toExponential(2)}; the fast engine's batches would give ${inexact.toExponential(2)}`);
    expect(inexact).toBeGreaterThan(1e-3);
  }, 120_000);
});

describeWithShared('builder exports and shared stand-ins: the default engine equals naive', () => {
  const stimuli = stimuliFromWords(commonWords, 3, 12, replacements, 5);

  it('genai-llama-gqa-fp32 (GroupQueryAttention): found, run as truncated full passes', async () => {
    const model = await loadModel({ model: sharedPath('models', 'families', 'genai-llama-gqa-fp32'), threads: 2 });
    try {
      expect(model.inexactPast?.map((r) => r.kind)).toEqual(['group-query-attention']);
      const { exact } = await expectExactDefault(model, stimuli, 'truncated');
      console.log(`genai-llama-gqa-fp32: default vs naive ${exact.toExponential(2)}`);
    } finally {
      await model.dispose();
    }
  }, 120_000);

  it('genai-gpt2-fp32 (Attention honours a masked past): nothing found, the fast engine runs and equals naive', async () => {
    const model = await loadModel({ model: sharedPath('models', 'families', 'genai-gpt2-fp32'), threads: 2 });
    try {
      expect(model.inexactPast).toEqual([]);
      // the fast engine's own float rounding (other matrix shapes), as on every model it runs: test/engine/engines.test.ts
      const { exact } = await expectExactDefault(model, stimuli, 'fast', 1e-5);
      console.log(`genai-gpt2-fp32: fast vs naive ${exact.toExponential(2)}`);
    } finally {
      await model.dispose();
    }
  }, 120_000);

  for (const { name, folder, dtype, kind, engine, tolerance } of [
    { name: 'gemma2-tiny (sliding window 8)', folder: sharedPath('models', 'families', 'gemma2-tiny'), dtype: undefined, kind: 'sliding-window', engine: 'truncated', tolerance: 1e-6 },
    { name: 'stories260K int8 (DynamicQuantizeLinear)', folder: sharedPath('models', 'dtypes', 'stories260K'), dtype: 'int8', kind: 'position-mixing', engine: 'naive', tolerance: 1e-6 },
  ] as const) {
    it(name, async () => {
      const model = await loadModel({ model: folder, dtype, threads: 2 });
      try {
        expect(model.inexactPast?.map((r) => r.kind)).toContain(kind);
        const { exact, inexact } = await expectExactDefault(model, stimuli, engine, tolerance);
        console.log(`${name}: default vs naive ${exact.toExponential(2)}; the fast engine's batches would give ${inexact.toExponential(2)}`);
        expect(inexact).toBeGreaterThan(1e-3);
      } finally {
        await model.dispose();
      }
    }, 180_000);
  }
});
