import { UserError, shown } from '../util/index.js';
import type { CorpusSentence } from './types.js';

/**
 * Reads NLTK's Brown tagged form: one sentence per non-blank line, tokens separated by white space, each
 * token `word/tag` (split at the last slash, so "1/2/cd" is the word "1/2" tagged cd). Tags are lowercased.
 */
export function readBrownText(text: string, file: string, document: number): CorpusSentence[] {
  const sentences: CorpusSentence[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].trim();
    if (line.length === 0) continue;
    const tokens: string[] = [];
    const tags: string[] = [];
    for (const item of line.split(/\s+/)) {
      const slash = item.lastIndexOf('/');
      if (slash <= 0 || slash === item.length - 1) {
        throw new UserError(`${file} line ${index + 1}: token ${shown(item)} is not word/tag, as every token of the Brown format must be (e.g. jury/nn); use --corpus-format text or lines for untagged text`);
      }
      tokens.push(item.slice(0, slash));
      tags.push(item.slice(slash + 1).toLowerCase());
    }
    sentences.push({ tokens, tags, document });
  }
  return sentences;
}
