import type { EmbeddingMatrix } from '../../model/index.js';
import { shuffled, type RandomSource } from '../../util/index.js';
import type { TokenCounter } from '../tokenCounts.js';

/**
 * Candidates cap: distances cost candidates × width per original word, so at most this many single-token corpus
 * words (a seeded uniform sample when there are more) are candidates. A uniform draw among the in-band members
 * of a uniform sample is still a uniform draw among in-band words.
 */
export const MAX_EMBEDDING_CANDIDATES = 4096;

/**
 * Input embeddings of words: a word's vector is the mean of its tokens' rows of the model's input-embedding
 * matrix (as the authors do), and candidates are single-token corpus words.
 */
export class EmbeddingSpace {
  /** Candidate words, sorted. */
  readonly candidates: string[];
  private readonly candidateRows: Float32Array;

  constructor(
    singleTokenWords: readonly string[],
    private readonly tokens: TokenCounter,
    private readonly embedding: EmbeddingMatrix,
    random: RandomSource,
  ) {
    const sample = singleTokenWords.length > MAX_EMBEDDING_CANDIDATES
      ? shuffled(random, singleTokenWords).slice(0, MAX_EMBEDDING_CANDIDATES).sort()
      : [...singleTokenWords];
    this.candidates = sample;
    const width = embedding.width;
    this.candidateRows = new Float32Array(sample.length * width);
    sample.forEach((word, i) => this.candidateRows.set(this.wordVector(word), i * width));
  }

  /** Mean of the word's token rows. */
  wordVector(word: string): Float32Array {
    const { width, values, vocabularySize } = this.embedding;
    const ids = this.tokens.tokenizer.wordTokenIds(word);
    const vector = new Float32Array(width);
    for (const id of ids) {
      if (id < 0 || id >= vocabularySize) throw new Error(`token id ${id} of ${JSON.stringify(word)} is outside the embedding matrix (${vocabularySize} rows)`);
      for (let u = 0; u < width; u++) vector[u] += values[id * width + u];
    }
    for (let u = 0; u < width; u++) vector[u] /= ids.length;
    return vector;
  }

  /** mean over dimensions of |E[word] − E[candidate]|, for every candidate in order. */
  distancesFrom(word: string): Float32Array {
    const width = this.embedding.width;
    const origin = this.wordVector(word);
    const rows = this.candidateRows;
    const distances = new Float32Array(this.candidates.length);
    for (let c = 0; c < this.candidates.length; c++) {
      let sum = 0;
      const offset = c * width;
      for (let u = 0; u < width; u++) sum += Math.abs(rows[offset + u] - origin[u]);
      distances[c] = sum / width;
    }
    return distances;
  }
}
