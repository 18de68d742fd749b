import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCorpusPath, readCorpus } from '../../src/corpus/index.js';
import { fixturePath } from '../helpers/shared.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'iw-corpus-'));
}

describe('readCorpus: Brown', () => {
  const folder = fixturePath('corpora', 'brown-sample');

  it('reads gold sentences and tags from a folder, skipping the README that is not Brown', () => {
    const corpus = readCorpus(folder);
    expect(corpus.format).toBe('brown');
    expect(corpus.detectedFormat).toBe(true);
    expect(corpus.tagged).toBe(true);
    expect(corpus.files.map((f) => f.slice(folder.length + 1))).toEqual(['ca01', 'cg01', 'ck01', 'cn01']);
    expect(corpus.skippedFiles.map((s) => s.file.slice(folder.length + 1))).toEqual(['README']);
    // Non-blank lines of the four samples (grep -c '[^[:space:]]'): 98 + 100 + 172 + 173.
    expect(corpus.sentences.length).toBe(543);
    // ca01's first sentence, as in the file.
    const first = corpus.sentences[0];
    expect(first.tokens.slice(0, 4)).toEqual(['The', 'Fulton', 'County', 'Grand']);
    expect(first.tags!.slice(0, 4)).toEqual(['at', 'np-tl', 'nn-tl', 'jj-tl']);
    expect(first.document).toBe(0);
    expect(corpus.sentences[corpus.sentences.length - 1].document).toBe(3);
  });

  it('names the file and line of a token that is not word/tag', () => {
    const dir = tempDir();
    const file = join(dir, 'bad.pos');
    writeFileSync(file, 'The/at jury/nn ./.\nA/at broken token/nn ./.\n');
    expect(() => readCorpus(file, { format: 'brown' })).toThrow(`${file} line 2: token "broken" is not word/tag`);
  });
});

describe('readCorpus: plain text and lines', () => {
  it('reads wrapped paragraphs into sentences found by the segmenter', () => {
    const dir = tempDir();
    const file = join(dir, 'story.txt');
    writeFileSync(file, 'Mr. Weston came at\n3.30 and sat down. "Really?"\nshe asked.\n\nA new paragraph\nbegins here\n');
    const corpus = readCorpus(file);
    expect(corpus.format).toBe('text');
    expect(corpus.sentences.map((s) => s.tokens.join(' '))).toEqual([
      'Mr. Weston came at 3.30 and sat down .',
      '" Really ?" she asked .',
      'A new paragraph begins here',
    ]);
  });

  it('reads one sentence per line when told, and a folder of files as documents', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.txt'), 'first line here\nsecond line here\n');
    writeFileSync(join(dir, 'b.txt'), 'third line\n');
    writeFileSync(join(dir, '.hidden'), 'never read\n');
    const corpus = readCorpus(dir, { format: 'lines' });
    expect(corpus.detectedFormat).toBe(false);
    expect(corpus.sentences.map((s) => [s.tokens.join(' '), s.document])).toEqual([
      ['first line here', 0], ['second line here', 0], ['third line', 1],
    ]);
  });

  it('ships a default corpus that reads as running text', () => {
    const corpus = readCorpus(defaultCorpusPath());
    expect(corpus.format).toBe('text');
    expect(corpus.sentences.length).toBeGreaterThan(1000);
    expect(corpus.sentences[3].tokens.slice(0, 2)).toEqual(['Emma', 'Woodhouse']);
  });
});

describe('readCorpus: bad input', () => {
  it('refuses a missing path', () => {
    expect(() => readCorpus('/no/such/corpus.txt')).toThrow('--corpus /no/such/corpus.txt: no such file or folder');
  });

  it('refuses an empty file and a blank one, naming them', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'empty.txt'), '');
    writeFileSync(join(dir, 'blank.txt'), '\n  \n');
    expect(() => readCorpus(join(dir, 'empty.txt'))).toThrow(`corpus file ${join(dir, 'empty.txt')} is empty`);
    expect(() => readCorpus(join(dir, 'blank.txt'))).toThrow(`corpus file ${join(dir, 'blank.txt')} is empty (only white space)`);
  });

  it('refuses a folder with no files', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    expect(() => readCorpus(dir)).toThrow(`--corpus ${dir}: the folder holds no files`);
  });

  it('refuses text that is not UTF-8, with the byte offset', () => {
    const dir = tempDir();
    const file = join(dir, 'latin1.txt');
    writeFileSync(file, Buffer.from('Le caf\xe9 est chaud.\n', 'latin1'));
    expect(() => readCorpus(file)).toThrow(`${file} is not UTF-8 text: byte offset 6 (line 1)`);
  });
});
