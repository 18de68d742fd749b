import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { iw } from '../helpers/runIw.js';
import { describeWithShared, fixturePath, sharedPath } from '../helpers/shared.js';
import { removeDir, tempDir } from '../model/modelTestKit.js';

/** --swap probable from the command line: which fill-mask model, and what the stimuli and the report record. */
const roberta = sharedPath('models', 'gutenberg-roberta-mlm');
const tinyGpt2 = fixturePath('models', 'gutenberg-gpt2-tiny');

describeWithShared('iw stimuli and iw estimate with --swap probable', () => {
  const out = tempDir('probable-cli');
  afterAll(() => removeDir(out));

  it('a masked LM as --model is its own swap model, and the report records it with the ranks and the fallback share', async () => {
    const result = await iw('estimate', '--model', roberta, '--swap', 'probable', '--swap-ranks', '1,4', '--sequences', '3', '--words', '25', '--max-lag', '6', '--quiet', '--no-plots', '--json', '--out', join(out, 'run'));
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { stimuli: { probable?: unknown }; settings: Record<string, unknown>; layers: Array<{ future?: unknown }> };
    expect(report.stimuli.probable).toMatchObject({ model: roberta, ranks: [1, 4], fallbackShare: 0 });
    expect(report.settings).toMatchObject({ swap: 'probable', swapRanks: [1, 4] });
    expect(report.layers.every((l) => l.future !== undefined)).toBe(true);
    const stimuli = JSON.parse(readFileSync(join(out, 'run', 'stimuli.json'), 'utf8')) as { meta: { swap: { rule: string; probable: { sha256: string } } } };
    expect(stimuli.meta.swap.rule).toBe('probable');
    expect(stimuli.meta.swap.probable.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a causal model is measured on swaps an encoder proposes (--swap-model)', async () => {
    const file = join(out, 'causal.json');
    const result = await iw('stimuli', '--model', tinyGpt2, '--swap', 'probable', '--swap-model', roberta, '--sequences', '2', '--words', '12', '--quiet', '--out', file);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/swaps: probable from .*gutenberg-roberta-mlm, ranks 0–4/);
    const stimuli = JSON.parse(readFileSync(file, 'utf8')) as { meta: { model: string; swap: { probable: { model: string } } } };
    expect(stimuli.meta.model).toBe(tinyGpt2);
    expect(stimuli.meta.swap.probable.model).toBe(roberta);
  });

  it('refuses a causal --model without --swap-model, and a --swap-model that is no fill-mask model', async () => {
    const noSwapModel = await iw('stimuli', '--model', tinyGpt2, '--swap', 'probable', '--quiet', '--out', join(out, 'x.json'));
    expect(noSwapModel.code).toBe(2);
    expect(noSwapModel.stderr).toMatch(/--swap probable needs a fill-mask model: give --swap-model/);
    const causalSwapModel = await iw('stimuli', '--model', roberta, '--swap', 'probable', '--swap-model', tinyGpt2, '--quiet', '--out', join(out, 'y.json'));
    expect(causalSwapModel.code).toBe(2);
    expect(causalSwapModel.stderr).toMatch(/is not a fill-mask model/);
    const badRanks = await iw('stimuli', '--model', roberta, '--swap', 'probable', '--swap-ranks', '5,5', '--quiet', '--out', join(out, 'z.json'));
    expect(badRanks.code).toBe(2);
    expect(badRanks.stderr).toMatch(/--swap-ranks.*low < high/);
  });
});
