import { randomInt, type RandomSource } from '../../util/index.js';

/** Words a replacement is drawn from, uniformly, never the original. */
export class CandidatePool {
  private readonly indexOf = new Map<string, number>();

  /** `words` must be sorted and distinct, so that a seed gives the same draws everywhere. */
  constructor(readonly words: readonly string[]) {
    words.forEach((word, i) => this.indexOf.set(word, i));
  }

  /** Candidates other than `word`. */
  sizeWithout(word: string): number {
    return this.words.length - (this.indexOf.has(word) ? 1 : 0);
  }

  /** A uniform draw among the candidates other than `word`, or null when there is none. One random number. */
  drawOtherThan(word: string, random: RandomSource): string | null {
    const size = this.sizeWithout(word);
    if (size === 0) return null;
    let index = randomInt(random, size);
    const own = this.indexOf.get(word);
    if (own !== undefined && index >= own) index++;
    return this.words[index];
  }
}
