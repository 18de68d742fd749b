import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/corpus/detectFormat.js';

describe('detectFormat', () => {
  it('sees Brown word/tag tokens', () => {
    const brown = 'The/at jury/nn said/vbd ``/`` no/at evidence/nn \'\'/\'\' ./.\n\nIt/pps was/bedz Atlanta\'s/np$ first/od ./.\n';
    expect(detectFormat(brown)).toMatchObject({ format: 'brown' });
  });

  it('sees one sentence per line when lines end sentences', () => {
    expect(detectFormat('The cat sat.\nIt was warm!\nWas it?\n"Yes," she said.\n')).toMatchObject({ format: 'lines' });
  });

  it('takes unpunctuated lines as sentences', () => {
    expect(detectFormat('the cat sat on the mat\nit was warm\n')).toMatchObject({ format: 'lines' });
  });

  it('sees wrapped running text', () => {
    const text = 'Emma Woodhouse, handsome, clever, and rich, with a comfortable home\nand happy disposition, seemed to unite some of the best blessings\nof existence. She was the youngest\nof the two daughters of a most affectionate father.\n';
    const detected = detectFormat(text);
    expect(detected.format).toBe('text');
    expect(detected.reason).toContain('lines end a sentence');
  });
});
