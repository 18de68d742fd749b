import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { iw } from '../helpers/runIw.js';
import { readStimuliFile } from '../../src/stimuli/index.js';
import { fixturePath } from '../helpers/shared.js';

const brown = fixturePath('corpora', 'brown-sample');
const dir = mkdtempSync(join(tmpdir(), 'iw-cli-stimuli-'));

describe('iw stimuli', () => {
  it('writes POS-swap window stimuli from a Brown folder, saying what format it detected', async () => {
    const out = join(dir, 'a.json');
    const result = await iw('stimuli', '--corpus', brown, '--sequences', '10', '--words', '20', '--seed', '7', '--out', out);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`iw: corpus ${brown}: 4 files, 543 sentences (detected brown: 4 of its 5 files look like brown)`);
    expect(result.stderr).toContain(`iw: skipped ${join(brown, 'README')}: not in Brown word/tag form`);
    expect(result.stdout).toContain(`wrote ${out}: 10 window sequences of 20 words (within document;`);
    const stimuli = readStimuliFile(out);
    expect(stimuli.sequences).toHaveLength(10);
    expect(stimuli.meta).toMatchObject({ kind: 'window', seed: 7, swap: { rule: 'pos' }, corpus: { format: 'brown', detectedFormat: true } });
  });

  it('writes identical files for the same seed and different swaps for another seed', async () => {
    const args = ['stimuli', '--corpus', brown, '--sequences', '30', '--quiet'];
    await iw(...args, '--seed', '3', '--out', join(dir, 's3a.json'));
    await iw(...args, '--seed', '3', '--out', join(dir, 's3b.json'));
    await iw(...args, '--seed', '4', '--out', join(dir, 's4.json'));
    const [a, b, c] = ['s3a', 's3b', 's4'].map((name) => readFileSync(join(dir, `${name}.json`), 'utf8'));
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });

  it('records the cleaning steps that were on, and takes them from a config file too', async () => {
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ lowercase: false, within: 'sentence' }));
    const out = join(dir, 'cleaning.json');
    const result = await iw('stimuli', '--corpus', brown, '--config', config, '--no-split-hyphens', '--proper-nouns', 'drop-word', '--words', '10', '--out', out, '--quiet');
    expect(result.code).toBe(0);
    expect(readStimuliFile(out).meta).toMatchObject({
      within: 'sentence',
      cleaning: { lowercase: false, splitHyphens: false, dropPunctuation: true, alphabeticOnly: true, properNouns: 'drop-word' },
    });
  });

  it('prints corpus statistics, as a table or as JSON', async () => {
    const table = await iw('stimuli', '--corpus', brown, '--stats', '--quiet');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^sentences +543 as read/m);
    const json = await iw('stimuli', '--corpus', brown, '--stats', '--json', '--quiet');
    const stats = JSON.parse(json.stdout);
    expect(stats).toMatchObject({ sentences: 543, format: 'brown', windows: { words: 40 }, yoking: { sentenceWords: 12, singleTokenSentencesOfLength: null }, model: null });
  });

  it('refuses what it cannot do with a one-line message and exit code 2', async () => {
    const text = fixturePath('corpora', 'default.txt');
    const cases: Array<[string[], string]> = [
      [['stimuli', '--corpus', brown], 'iw: iw stimuli needs --out FILE (where to write the stimuli) or --stats\n'],
      [['stimuli', '--corpus', text, '--swap', 'pos', '--out', join(dir, 'x.json'), '--quiet'], 'iw: --swap pos needs a tagged corpus'],
      [['stimuli', '--corpus', brown, '--yoking', '--swap', 'random', '--out', join(dir, 'x.json'), '--quiet'], 'iw: yoking stimuli need --model'],
      [['stimuli', '--corpus', brown, '--words', 'many', '--out', join(dir, 'x.json')], 'iw: --words must be a whole number from 2 to 10000 (got "many")\n'],
      [['stimuli', '--corpus', brown, '--within', 'chapter', '--stats'], 'iw: --within must be run, sentence, document or corpus (got "chapter")\n'],
      [['stimuli', '--corpus', brown, '--swap-band', '0.2,0.1', '--stats'], 'iw: --swap-band must have low < high, e.g. 0.10,0.11 (got "0.2,0.1")\n'],
      [['stimuli', '--corpus', join(dir, 'missing'), '--stats'], `iw: --corpus ${join(dir, 'missing')}: no such file or folder\n`],
    ];
    for (const [argv, message] of cases) {
      const result = await iw(...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toContain('    at ');
    }
  });

  it('uses the shipped corpus when none is given, with random swaps when there is no tagger and no model', async () => {
    const out = join(dir, 'default.json');
    const result = await iw('stimuli', '--sequences', '5', '--out', out, '--quiet');
    expect(result.code).toBe(0);
    expect(readStimuliFile(out).meta).toMatchObject({ corpus: { format: 'text' }, swap: { rule: 'random', singleTokenChecked: false } });
    expect(result.stderr).toContain('iw: note: no tokenizer was given');
  });
});
