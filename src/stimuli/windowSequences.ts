import type { CleanSentence } from '../corpus/index.js';
import { randomInt, type RandomSource } from '../util/index.js';
import type { WindowBoundary } from './types.js';

/** Where one window lies: `words` consecutive words of segment `segment` from `start`. */
interface WindowPlace {
  segment: number;
  start: number;
}

/** The stretches of cleaned words windows are cut from, in corpus order, and the windows they allow. */
export class WindowCatalogue {
  readonly segments: string[][];
  private readonly places: WindowPlace[] = [];

  constructor(sentences: readonly CleanSentence[], readonly words: number, readonly within: WindowBoundary) {
    this.segments = windowSegments(sentences, within);
    this.segments.forEach((segment, s) => {
      for (let start = 0; start + words <= segment.length; start += words) this.places.push({ segment: s, start });
    });
  }

  /** Non-overlapping windows the corpus allows: each segment is cut into consecutive windows from its start. */
  get available(): number {
    return this.places.length;
  }

  /** `count` windows (all of them when fewer), drawn without replacement, returned in corpus order. */
  choose(count: number, random: RandomSource): string[][] {
    const chosen = sampleIndices(this.places.length, Math.min(count, this.places.length), random);
    return chosen.map((i) => {
      const { segment, start } = this.places[i];
      return this.segments[segment].slice(start, start + this.words);
    });
  }
}

/** Runs, sentences, documents or the whole corpus as word lists. */
export function windowSegments(sentences: readonly CleanSentence[], within: WindowBoundary): string[][] {
  switch (within) {
    case 'run': return sentences.flatMap(sentenceRuns);
    case 'sentence': return sentences.map((s) => s.words);
    case 'document': return groupBy(sentences, (s) => s.document);
    case 'corpus': return sentences.length === 0 ? [] : [sentences.flatMap((s) => s.words)];
  }
}

function sentenceRuns(sentence: CleanSentence): string[][] {
  return sentence.runStarts.map((start, i) => sentence.words.slice(start, sentence.runStarts[i + 1] ?? sentence.words.length));
}

/** Words of consecutive sentences with the same key, joined. */
function groupBy(sentences: readonly CleanSentence[], key: (s: CleanSentence) => number): string[][] {
  const groups: string[][] = [];
  let current: number | undefined;
  for (const sentence of sentences) {
    if (key(sentence) !== current) {
      groups.push([]);
      current = key(sentence);
    }
    groups[groups.length - 1].push(...sentence.words);
  }
  return groups;
}

/** k distinct indices of 0..n-1, uniformly (partial Fisher–Yates), ascending. */
export function sampleIndices(n: number, k: number, random: RandomSource): number[] {
  const pool = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + randomInt(random, n - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, k).sort((a, b) => a - b);
}
