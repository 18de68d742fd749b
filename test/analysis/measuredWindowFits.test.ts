import { expect, it } from 'vitest';
import { fitWindows } from '../../src/analysis/index.js';
import { referenceFitWindow } from '../../bench/referenceCurveFit.js';
import { buildStimuliFromOptions, loadCleanCorpus } from '../../src/stimuli/index.js';
import { measureUnitWindows } from '../../bench/unitWindows.js';
import { describeWithShared, sharedPath } from '../helpers/shared.js';

/**
 * The new fitter against the one iw used before (ml-levenberg-marquardt, kept as the reference) on measured
 * unit windows: no window's SSE may be higher by more than 1e-9 (relative). bench/fits.ts runs the same check
 * on 13,824 windows of three shared models; this is a sample of one, small enough for the test suite.
 */
describeWithShared('fits of measured unit windows', () => {
  it('are never worse than the reference fitter’s on gutenberg-gpt2-small-step400 (Brown, 6 sequences, every 8th window)', async () => {
    const { clean } = loadCleanCorpus({
      corpus: sharedPath('corpora', 'brown'), corpusFormat: 'auto', lowercase: true, splitHyphens: true,
      dropPunctuation: true, alphabeticOnly: true, properNouns: 'drop-sentence',
    });
    const stimuli = await buildStimuliFromOptions(clean, { sequences: 6, words: 40, within: 'document', swap: 'pos', yoking: false, sentences: 5, sentenceWords: 12, seed: 5 });
    const { windows, maxLag } = await measureUnitWindows(sharedPath('models', 'gutenberg-gpt2-small-step400'), stimuli);
    const points = maxLag + 1;
    const fits = fitWindows(windows, points);
    let compared = 0;
    for (let w = 0; w < fits.length; w += 8) {
      const reference = referenceFitWindow(windows.subarray(w * points, (w + 1) * points))!;
      expect(fits[w]!.sse).toBeLessThanOrEqual(reference.sse * (1 + 1e-9));
      compared++;
    }
    expect(compared).toBeGreaterThan(200);
  });
});
