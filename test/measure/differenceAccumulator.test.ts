import { describe, expect, it } from 'vitest';
import {
  allPartsWeights,
  bandOffset,
  differenceAt,
  DifferenceAccumulator,
  halfSplitWeights,
  keptBytes,
  keptDifferencesOf,
  resampleWeights,
} from '../../src/measure/index.js';
import { createRandom, type RandomSource } from '../../src/util/random.js';

/**
 * A small random run: S sequences of N words, `width` units, two layers. Each swap's activations are a full
 * swapped sequence [N × width] (as a naive engine would compute), so the dense brute force below can read
 * any (k, t) directly; the accumulator is handed only the band rows k .. k + maxLag.
 */
interface RandomRun {
  originals: Float32Array[][]; // [layer][sequence] → [N × width]
  swapped: Array<Array<Array<Float32Array | null>>>; // [layer][sequence][k] → [N × width] or null (no swap at k)
}

const N = 9, WIDTH = 3, MAX_LAG = 3, S = 5, LAYERS = [0, 4];

function randomRun(random: RandomSource): RandomRun {
  const activations = () => Float32Array.from({ length: N * WIDTH }, () => random() * 4 - 2);
  const swapAt = Array.from({ length: S }, () => Array.from({ length: N }, () => random() < 0.8)); // same swaps in every layer
  return {
    originals: LAYERS.map(() => Array.from({ length: S }, activations)),
    swapped: LAYERS.map(() => swapAt.map((row) => row.map((has) => (has ? activations() : null)))),
  };
}

/** Dense brute force: D(k, t) = mean over sequences swapped at k of |swapped − original| at word t, every (k, t). */
function denseDifferences(run: RandomRun, slot: number, sequences: number[]): (k: number, t: number, u: number) => number {
  return (k, t, u) => {
    let sum = 0, count = 0;
    for (const s of sequences) {
      const swapped = run.swapped[slot][s][k];
      if (!swapped) continue;
      sum += Math.abs(swapped[t * WIDTH + u] - run.originals[slot][s][t * WIDTH + u]);
      count++;
    }
    return count > 0 ? sum / count : NaN;
  };
}

function feed(accumulator: DifferenceAccumulator, run: RandomRun, viaHooks: boolean): void {
  for (let s = 0; s < S; s++) {
    LAYERS.forEach((layer, slot) => viaHooks && accumulator.onOriginal(s, layer, run.originals[slot][s]));
    for (let k = 0; k < N; k++) {
      LAYERS.forEach((layer, slot) => {
        const swapped = run.swapped[slot][s][k];
        if (!swapped) return;
        const rows = Math.min(MAX_LAG, N - 1 - k) + 1;
        const band = swapped.slice(k * WIDTH, (k + rows) * WIDTH);
        if (viaHooks) accumulator.onSwap(s, k, layer, band);
        else accumulator.addSwap(s, k, layer, run.originals[slot][s], band);
      });
    }
    if (viaHooks) accumulator.onSequenceDone(s);
  }
}

/** Whether a band equals the dense brute force to 1e-6 everywhere (NaN where it is NaN). */
function bandEquals(differences: ReturnType<DifferenceAccumulator['differences']>, dense: (k: number, t: number, u: number) => number): boolean {
  for (let k = 0; k < N; k++) {
    for (let t = k; t <= Math.min(N - 1, k + MAX_LAG); t++) {
      for (let u = 0; u < WIDTH; u++) {
        const stored = differences.values[bandOffset(differences, k, t - k) + u], expected = dense(k, t, u);
        if (Number.isNaN(expected) ? !Number.isNaN(stored) : !(Math.abs(stored - expected) < 1e-6)) return false;
      }
    }
  }
  return true;
}

function expectBandMatches(
  differences: ReturnType<DifferenceAccumulator['differences']>,
  dense: (k: number, t: number, u: number) => number,
  lagLimit: number,
  precision: number,
): void {
  for (let k = 0; k < N; k++) {
    for (let lag = 0; lag <= lagLimit; lag++) {
      for (let u = 0; u < WIDTH; u++) {
        const stored = differences.values[bandOffset(differences, k, lag) + u];
        const t = k + lag;
        if (t > N - 1) expect(stored).toBeNaN(); // past the sequence's end
        else if (Number.isNaN(dense(k, t, u))) expect(stored).toBeNaN(); // no sequence swapped at k
        else expect(stored).toBeCloseTo(dense(k, t, u), precision);
      }
    }
  }
}

describe('DifferenceAccumulator', () => {
  const run = randomRun(createRandom(11));
  const everySequence = Array.from({ length: S }, (_, s) => s);

  it('keeps the band of a brute-force dense computation, through addSwap and through the engine hooks', () => {
    for (const viaHooks of [false, true]) {
      const accumulator = new DifferenceAccumulator({ layers: LAYERS, width: WIDTH, wordCount: N, maxLag: MAX_LAG, sequenceCount: S });
      feed(accumulator, run, viaHooks);
      const all = LAYERS.map((layer) => accumulator.differences(layer));
      LAYERS.forEach((layer, slot) => {
        expect(all[slot].layer).toBe(layer);
        expectBandMatches(all[slot], denseDifferences(run, slot, everySequence), MAX_LAG, 6); // differences kept as float32
        // swap counts: how many sequences had a swap at k
        for (let k = 0; k < N; k++) expect(all[slot].swapCounts[k]).toBe(run.swapped[slot].filter((row) => row[k]).length);
        // the accessor agrees with the layout and refuses t outside the band
        expect(differenceAt(all[slot], 2, 4, 1)).toBe(all[slot].values[bandOffset(all[slot], 2, 2) + 1]);
        expect(differenceAt(all[slot], 4, 2, 0)).toBeNaN();
        expect(differenceAt(all[slot], 1, 1 + MAX_LAG + 1, 0)).toBeNaN();
      });
    }
  });

  it('forms D again from kept per-sequence bands for any weighting, equal to the dense computation on those sequences', () => {
    const accumulator = new DifferenceAccumulator({ layers: LAYERS, width: WIDTH, wordCount: N, maxLag: MAX_LAG, sequenceCount: S, keep: 'sequences' });
    feed(accumulator, run, false);
    // all weights 1: D over all sequences (float32 kept bands: 6 decimals)
    expectBandMatches(accumulator.formLayer(4, allPartsWeights(S)), denseDifferences(run, 1, everySequence), MAX_LAG, 6);
    // a resample: the dense mean over the multiset of drawn sequences
    const weights = resampleWeights(S, createRandom(3));
    const drawn = everySequence.flatMap((s) => Array.from({ length: weights[s] }, () => s));
    expect(drawn.length).toBe(S);
    expectBandMatches(accumulator.formLayer(0, weights), denseDifferences(run, 0, drawn), MAX_LAG, 6);
    // a half, and a lag limit below maxLag
    const [first] = halfSplitWeights(S, createRandom(5));
    const firstHalf = everySequence.filter((s) => first[s] === 1);
    const limited = accumulator.formLayer(4, first, 1);
    expect(limited.maxLag).toBe(1);
    expectBandMatches(limited, denseDifferences(run, 1, firstHalf), 1, 6);
    // from a first word on: the same numbers where k + lag reaches it, NaN (not formed) before
    const full = accumulator.formLayer(0, weights);
    const fromWord = accumulator.formLayer(0, weights, MAX_LAG, 4);
    let formed = 0;
    full.values.forEach((value, i) => {
      const k = Math.floor(i / ((MAX_LAG + 1) * WIDTH));
      const lag = Math.floor(i / WIDTH) % (MAX_LAG + 1);
      if (k + lag >= 4) {
        expect(Object.is(fromWord.values[i], value)).toBe(true);
        formed++;
      } else {
        expect(fromWord.values[i]).toBeNaN();
      }
    });
    expect(formed).toBeGreaterThan(0);
    expect(Array.from(fromWord.swapCounts)).toEqual(Array.from(full.swapCounts));
  });

  it('deals sequences into seeded groups whose weighted sums reproduce D', () => {
    const accumulator = new DifferenceAccumulator({
      layers: LAYERS, width: WIDTH, wordCount: N, maxLag: MAX_LAG, sequenceCount: S, keep: { groups: 2, random: createRandom(9) },
    });
    feed(accumulator, run, false);
    expect(accumulator.partCount).toBe(2);
    // Group 1's members: the one set of sequences whose dense D is group 1's D (the accumulator does not say which).
    const groupD = accumulator.formLayer(0, Float64Array.of(0, 1));
    const subsets = Array.from({ length: 2 ** S }, (_, bits) => everySequence.filter((s) => (bits >> s) & 1));
    const matching = subsets.filter((subset) => bandEquals(groupD, denseDifferences(run, 0, subset)));
    expect(matching).toHaveLength(1);
    const [groupOne] = matching;
    // round-robin dealing of a shuffle: group sizes 3 and 2
    expect([2, 3]).toContain(groupOne.length);
    expectBandMatches(accumulator.formLayer(0, Float64Array.of(0, 1)), denseDifferences(run, 0, groupOne), MAX_LAG, 6);
    expectBandMatches(accumulator.formLayer(0, Float64Array.of(1, 1)), denseDifferences(run, 0, everySequence), MAX_LAG, 6);
  });

  it('sums in sequence order whatever order the swaps came in, and stored entries give the very same bits', () => {
    const shape = { layers: LAYERS, width: WIDTH, wordCount: N, maxLag: MAX_LAG, sequenceCount: S, keep: 'sequences' as const };
    const inOrder = new DifferenceAccumulator({ ...shape, journal: true });
    feed(inOrder, run, false);
    const entries = inOrder.takeJournal();
    expect(entries).toHaveLength(run.swapped[0].flat().filter(Boolean).length);
    // the entries again, backwards and split across two "shards" read back into one accumulator
    const reversed = new DifferenceAccumulator(shape);
    for (const entry of entries.slice().reverse()) reversed.addEntry(entry);
    for (let s = S - 1; s >= 0; s--) reversed.onSequenceDone(s);
    LAYERS.forEach((layer) => {
      expect(Array.from(reversed.differences(layer).values)).toEqual(Array.from(inOrder.differences(layer).values));
      expect(Array.from(reversed.formLayer(layer, resampleWeights(S, createRandom(2))).values))
        .toEqual(Array.from(inOrder.formLayer(layer, resampleWeights(S, createRandom(2))).values));
    });
    expect(() => reversed.addEntry(entries[0])).toThrow(/already complete/);
  });

  it('journals the same entries when the bands are dropped before the journal is taken (pooled sums only)', () => {
    const shape = { layers: LAYERS, width: WIDTH, wordCount: N, maxLag: MAX_LAG, sequenceCount: S, journal: true };
    const kept = new DifferenceAccumulator({ ...shape, keep: 'sequences' });
    const pooled = new DifferenceAccumulator({ ...shape, keep: 'pooled' });
    feed(kept, run, true);
    // with hooks, every sequence is folded as it finishes: a pooled accumulator drops its bands there
    feed(pooled, run, true);
    const fromKept = kept.takeJournal();
    const fromPooled = pooled.takeJournal();
    expect(fromPooled.map((e) => [e.sequence, e.swapPosition])).toEqual(fromKept.map((e) => [e.sequence, e.swapPosition]));
    fromKept.forEach((entry, i) => expect(Array.from(fromPooled[i].values)).toEqual(Array.from(entry.values)));
    expect(pooled.journalLength()).toBe(0);
  });

  it('useLayer hands on the D formLayer forms, in a reused buffer, and a nested call gets its own', () => {
    const accumulator = new DifferenceAccumulator({ layers: LAYERS, width: WIDTH, wordCount: N, maxLag: MAX_LAG, sequenceCount: S, keep: 'sequences' });
    feed(accumulator, run, true);
    const weights = resampleWeights(S, createRandom(3));
    for (const kept of [accumulator, keptDifferencesOf(accumulator.keptParts())]) {
      const buffers: ArrayBufferLike[] = [];
      LAYERS.forEach((layer) => {
        const formed = kept.formLayer(layer, weights, MAX_LAG - 1, 2);
        kept.useLayer(layer, weights, (used) => {
          expect(Array.from(used.values)).toEqual(Array.from(formed.values));
          expect(Array.from(used.swapCounts)).toEqual(Array.from(formed.swapCounts));
          buffers.push(used.values.buffer);
          kept.useLayer(layer, weights, (inner) => expect(inner.values.buffer).not.toBe(used.values.buffer));
        }, MAX_LAG - 1, 2);
      });
      expect(new Set(buffers).size).toBe(1);
    }
  });

  it('refuses a swap added twice, a short band, and forming D when nothing was kept', () => {
    const accumulator = new DifferenceAccumulator({ layers: [0], width: WIDTH, wordCount: N, maxLag: MAX_LAG, sequenceCount: S });
    const original = new Float32Array(N * WIDTH);
    accumulator.addSwap(0, 2, 0, original, new Float32Array((MAX_LAG + 1) * WIDTH));
    expect(() => accumulator.addSwap(0, 2, 0, original, new Float32Array((MAX_LAG + 1) * WIDTH))).toThrow(/added twice/);
    expect(() => accumulator.addSwap(1, 2, 0, original, new Float32Array(MAX_LAG * WIDTH))).toThrow(/rows, expected 4/);
    expect(() => accumulator.formLayer(0, [])).toThrow(/pooled sums only/);
  });

  it('splits parts into disjoint halves that cover them all, the same for the same seed', () => {
    const [first, second] = halfSplitWeights(7, createRandom(1));
    expect(Array.from(first, (w, p) => w + second[p])).toEqual(new Array(7).fill(1));
    expect(first.reduce((x, y) => x + y)).toBe(4);
    expect(halfSplitWeights(7, createRandom(1))).toEqual([first, second]);
  });

  it('estimates its memory: pooled float64 band per layer plus float32 per sequence', () => {
    const options = { layers: LAYERS, width: WIDTH, wordCount: N, maxLag: MAX_LAG, sequenceCount: S };
    const band = N * (MAX_LAG + 1) * WIDTH;
    expect(keptBytes(options)).toBe(2 * band * 8);
    expect(keptBytes({ ...options, keep: 'sequences' })).toBe(2 * (band * 8 + S * band * 4));
  });
});
