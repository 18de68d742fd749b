import { describe, expect, it } from 'vitest';
import { segmentSentences } from '../../src/corpus/segmenter.js';

describe('segmentSentences', () => {
  it('does not end sentences at abbreviations or inside decimals', () => {
    expect(segmentSentences('Mr. Weston and Dr. Perry came at 3.45 p.m. on Friday. It cost $3.50, e.g. a lot.')).toEqual([
      'Mr. Weston and Dr. Perry came at 3.45 p.m. on Friday.',
      'It cost $3.50, e.g. a lot.',
    ]);
  });

  it('ends a sentence after a closing quote and keeps a quoted question with its speaker', () => {
    expect(segmentSentences('He said "Go home." Then he left. "Really?" she asked.')).toEqual([
      'He said "Go home."',
      'Then he left.',
      '"Really?" she asked.',
    ]);
  });

  it('splits on question and exclamation marks', () => {
    expect(segmentSentences('Was it you? It was! Fine.')).toEqual(['Was it you?', 'It was!', 'Fine.']);
  });
});
