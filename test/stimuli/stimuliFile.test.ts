import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatStimuliJson, parseStimuliJson, readStimuliFile, writeStimuliFile, type Stimuli } from '../../src/stimuli/index.js';

const stimuli: Stimuli = {
  format: 'iw-stimuli/1',
  meta: { kind: 'yoking', seed: 3, notes: [] },
  sequences: [
    { words: ['the', 'cat', 'sat', 'a', 'dog', 'ran'], swaps: ['a', 'dog', 'ran', 'the', null, 'sat'], sentenceStarts: [0, 3] },
    { words: ['we', 'ate', 'soup'], swaps: ['they', 'had', 'bread'] },
  ],
};

/** Parses a variant of the example with one change, returning the error message. */
function errorOf(change: (s: Record<string, any>) => void): string { // eslint-disable-line @typescript-eslint/no-explicit-any -- a test that edits arbitrary fields
  const copy = JSON.parse(JSON.stringify(stimuli));
  change(copy);
  try {
    parseStimuliJson(JSON.stringify(copy), 'stimuli.json');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('no error');
}

describe('stimuli files', () => {
  it('round-trip through the iw-stimuli/1 format', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iw-stimuli-'));
    const file = join(dir, 'stimuli.json');
    writeStimuliFile(file, stimuli);
    expect(readStimuliFile(file)).toEqual(stimuli);
  });

  it('write one sequence per line after the meta, keys in a fixed order', () => {
    const text = formatStimuliJson(stimuli);
    expect(text.split('\n').slice(-5)).toEqual([
      '    {"words":["the","cat","sat","a","dog","ran"],"swaps":["a","dog","ran","the",null,"sat"],"sentenceStarts":[0,3]},',
      '    {"words":["we","ate","soup"],"swaps":["they","had","bread"]}',
      '  ]',
      '}',
      '',
    ]);
    expect(JSON.parse(text)).toEqual(stimuli);
  });

  it('name the sequence and position of a bad swap', () => {
    expect(errorOf((s) => { s.sequences[1].swaps[2] = 5; })).toBe(
      'stimuli file stimuli.json is not valid iw-stimuli/1: sequence 2, the swap of word 3: must be a word (a string) (got 5)',
    );
    expect(errorOf((s) => { s.sequences[0].swaps[1] = 'cat'; })).toBe(
      'stimuli file stimuli.json is not valid iw-stimuli/1: sequence 1, the swap of word 2: is the word itself ("cat"); a swap must replace it with another word',
    );
    expect(errorOf((s) => { s.sequences[1].words[0] = 'two words'; })).toContain('sequence 2, word 1: must be one word, without spaces');
  });

  it('refuse swaps that do not match the words, and bad sentence starts', () => {
    expect(errorOf((s) => { s.sequences[1].swaps.pop(); })).toContain('sequence 2, swaps: has 2 entries but the sequence has 3 words');
    expect(errorOf((s) => { s.sequences[0].sentenceStarts = [1, 3]; })).toContain('sequence 1, sentenceStarts: must begin with 0, the first word (indices in the file count from 0; got 1)');
    expect(errorOf((s) => { s.sequences[0].sentenceStarts = [0, 3, 3, 9]; })).toContain('sequence 1, sentenceStarts entry 3: must be greater than the start before it (3)');
    expect(errorOf((s) => { s.sequences[0].sentenceStarts = [0, 9]; })).toContain('sequence 1, sentenceStarts entry 2: is past the last word (the sequence has 6 words)');
  });

  it('refuse other formats, unknown keys, no sequences, invalid JSON and missing files', () => {
    expect(errorOf((s) => { s.format = 'iw-stimuli/2'; })).toContain('format: must be "iw-stimuli/1" (got "iw-stimuli/2")');
    expect(errorOf((s) => { s.sequences[0].swap = []; })).toContain('sequence 1: has unknown key "swap"');
    expect(errorOf((s) => { s.sequences = []; })).toContain('sequences: must hold at least one sequence');
    expect(() => parseStimuliJson('{"format": ', 'x.json')).toThrow('stimuli file x.json is not valid JSON');
    expect(() => readStimuliFile('/no/such/stimuli.json')).toThrow('cannot read stimuli file /no/such/stimuli.json: no such file');
  });

  it('list at most five problems', () => {
    const message = errorOf((s) => { s.sequences[0].swaps = [1, 2, 3, 4, 5, 6]; s.sequences[1].swaps = [7, 8, 9]; });
    expect(message).toContain('; and 4 more');
  });

  it('accept a file written by another implementation (no meta, no sentenceStarts)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iw-stimuli-'));
    const file = join(dir, 'theirs.json');
    writeFileSync(file, '{"sequences": [{"swaps": ["b", null], "words": ["a", "c"]}], "format": "iw-stimuli/1"}');
    expect(readStimuliFile(file)).toEqual({ format: 'iw-stimuli/1', sequences: [{ words: ['a', 'c'], swaps: ['b', null] }] });
  });
});
