import type { CorpusSentence } from './types.js';
import { wordTokens } from './wordTokens.js';

/** Reads one sentence per non-blank line. */
export function readLinesText(text: string, document: number): CorpusSentence[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => ({ tokens: wordTokens(line), document }));
}
