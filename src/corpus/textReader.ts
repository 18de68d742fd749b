import { segmentSentences } from './segmenter.js';
import type { CorpusSentence } from './types.js';
import { wordTokens } from './wordTokens.js';

/**
 * Reads plain running text: paragraphs separated by blank lines, lines wrapped anywhere inside a paragraph.
 * Each paragraph's lines are joined and handed to the sentence segmenter; a sentence never spans paragraphs.
 */
export function readPlainText(text: string, document: number): CorpusSentence[] {
  const sentences: CorpusSentence[] = [];
  for (const paragraph of text.split(/\n[ \t]*\n/)) {
    const joined = paragraph.replace(/\s+/g, ' ').trim();
    if (joined.length === 0) continue;
    for (const sentence of segmentSentences(joined)) {
      const tokens = wordTokens(sentence);
      if (tokens.length > 0) sentences.push({ tokens, document });
    }
  }
  return sentences;
}
