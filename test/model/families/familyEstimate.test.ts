import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/pipeline/index.js';
import { resolveOptions } from '../../../src/config/resolve.js';
import { estimateOptionSpecs } from '../../../src/config/options/estimateRun.js';
import { describeWithShared } from '../../helpers/shared.js';
import { familyFolders, fixtureFamilies, sharedFamilies } from './familyReference.js';

/**
 * A small iw estimate on every family stand-in finishes, and the default (fast) engine, which reuses the
 * original's past keys and values, gives the windows of --engine naive (a full pass per swap) to TOLERANCE.
 */
/**
 * float32 rounding, which differs between a stacked past and a full pass: at most 3·10⁻⁷ on the machine the stand-ins
 * were made on; on an AMD EPYC (ONNX Runtime's AVX2 kernels) megatron-gpt2-tiny's layer 3 gave 1.03·10⁻⁶ at lag 4
 * (every other lag of every layer within 1.1·10⁻⁷, the same at 0552c5c). A past that is wrong is off by far more
 * (2.69 on Gemma 2, whose sliding window the stacked pasts would miss: docs/models.md).
 */
const TOLERANCE = 2e-6;
/** Stand-ins whose estimate is not checked here, and why (none now: the exact path covers sliding windows and the builder's graphs). */
const SKIPPED: Record<string, string> = {};

function itAgreesWithNaive({ name, folder }: { name: string; folder: string }): void {
  const skipped = SKIPPED[name];
  (skipped ? it.skip : it)(`${name}${skipped ? ` [skipped: ${skipped}]` : ''}`, async () => {
    const flags = { model: folder, sequences: 2, words: 16, maxLag: 4, seed: 1, quiet: true, bootstrap: 0, threads: 1 };
    const fast = await estimate(resolveOptions(estimateOptionSpecs, flags));
    const naive = await estimate(resolveOptions(estimateOptionSpecs, { ...flags, engine: 'naive' }));
    expect(fast.report.layers.map((l) => l.layer)).toEqual(naive.report.layers.map((l) => l.layer));
    let worst = 0;
    fast.report.layers.forEach((layer, i) => layer.window.forEach((value, lag) => {
      worst = Math.max(worst, Math.abs(value - naive.report.layers[i].window[lag]));
    }));
    console.log(`${name}: ${fast.report.layers.length} layers, max |fast − naive| window ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
  }, 120_000);
}

describeWithShared('iw estimate on every family stand-in of ../shared: default engine = naive', () => {
  for (const family of familyFolders(sharedFamilies).filter((f) => f.name !== 'ort-bert-toy-mlm')) itAgreesWithNaive(family);
});

describe('iw estimate on the family stand-ins shipped with iw: default engine = naive', () => {
  for (const family of familyFolders(fixtureFamilies)) itAgreesWithNaive(family);
});

describeWithShared('OPT-350m\'s last layer (project_out, narrower than the stream)', () => {
  const folder = familyFolders(sharedFamilies).find((f) => f.name === 'opt-postnorm-tiny')?.folder ?? '';
  const flags = { model: folder, sequences: 2, words: 16, maxLag: 4, seed: 1, quiet: true, bootstrap: 0, threads: 1 };
  it('is left out of a run of all layers, measured in a run of its own, and refused beside the others', async () => {
    const all = await estimate(resolveOptions(estimateOptionSpecs, flags));
    expect(all.report.layers.map((l) => l.layer)).toEqual([0, 1, 2]);
    const last = await estimate(resolveOptions(estimateOptionSpecs, { ...flags, layers: [3] }));
    expect(last.report.layers.map((l) => l.layer)).toEqual([3]);
    await expect(estimate(resolveOptions(estimateOptionSpecs, { ...flags, layers: [2, 3] })))
      .rejects.toThrow('--layers: layer 2 is 64 units wide and layer 3 32 (see iw layers); one run measures layers of one width');
  }, 120_000);
});
