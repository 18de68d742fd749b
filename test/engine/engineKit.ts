import type { SwapObserver } from '../../src/engine/index.js';
import type { Stimuli } from '../../src/stimuli/types.js';
import { createRandom, randomChoice } from '../../src/util/random.js';

/** Keeps what an engine hands on, so two engines can be compared entry by entry. */
export class RecordingObserver implements SwapObserver {
  readonly originals = new Map<string, Float32Array>();
  readonly bands = new Map<string, Float32Array>();
  readonly done: number[] = [];
  onOriginal(sequenceIndex: number, layer: number, words: Float32Array): void {
    this.originals.set(`${sequenceIndex}:${layer}`, words);
  }
  onSwap(sequenceIndex: number, swapPosition: number, layer: number, band: Float32Array): void {
    const key = `${sequenceIndex}:${swapPosition}:${layer}`;
    if (this.bands.has(key)) throw new Error(`swap ${key} handed on twice`);
    this.bands.set(key, band);
  }
  onSequenceDone(sequenceIndex: number): void {
    this.done.push(sequenceIndex);
  }

  /** |swapped − original| over the band of the swap at k, as measure/ would compute it. */
  differences(sequenceIndex: number, swapPosition: number, layer: number, width: number): Float64Array {
    const band = this.bands.get(`${sequenceIndex}:${swapPosition}:${layer}`)!;
    const original = this.originals.get(`${sequenceIndex}:${layer}`)!;
    const out = new Float64Array(band.length);
    for (let i = 0; i < band.length; i++) out[i] = Math.abs(band[i] - original[swapPosition * width + i]);
    return out;
  }
}

/**
 * Stimuli from a word list: every position swapped, replacements drawn from `replacements`
 * (which should include words of other token counts than the originals, to shift positions).
 */
export function stimuliFromWords(words: readonly string[], sequences: number, length: number, replacements: readonly string[], seed: number): Stimuli {
  const random = createRandom(seed);
  return {
    format: 'iw-stimuli/1',
    sequences: Array.from({ length: sequences }, () => {
      const sequenceWords = Array.from({ length }, () => randomChoice(random, words));
      const swaps = sequenceWords.map((word) => {
        let replacement = randomChoice(random, replacements);
        while (replacement === word) replacement = randomChoice(random, replacements);
        return replacement;
      });
      return { words: sequenceWords, swaps };
    }),
  };
}
