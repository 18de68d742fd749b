import type { RandomSource } from '../../util/index.js';
import type { TokenCounter } from '../tokenCounts.js';
import { CandidatePool } from './candidatePool.js';

/**
 * Candidates split by token count: a draw takes a single-token word where one exists other than the original
 * and, unless `strict`, any word otherwise. Without a tokenizer every word is a candidate.
 */
export class SingleTokenPool {
  private readonly all: CandidatePool;
  private readonly single: CandidatePool | null;

  constructor(words: readonly string[], tokens: TokenCounter | undefined, private readonly strict: boolean) {
    this.all = new CandidatePool(words);
    this.single = tokens ? new CandidatePool(words.filter((w) => tokens.isSingleToken(w))) : null;
  }

  draw(word: string, random: RandomSource): string | null {
    if (this.single === null) return this.all.drawOtherThan(word, random);
    const single = this.single.drawOtherThan(word, random);
    if (single !== null || this.strict) return single;
    return this.all.drawOtherThan(word, random);
  }
}
