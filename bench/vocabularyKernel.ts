/**
 * `npm run bench:kernel` (and the second part of `npm run bench`): the output read-out's passes over the vocabulary
 * alone, in JavaScript (prediction() and predictionChange(), the reference path) and in the vocabulary kernel, on as
 * many rows as a GPT-2-shape run at 12 × 40 words with every word swapped reads (vocabulary 50,257, bands up to
 * --max-lag 40), in parts that alternate (JavaScript, kernel, kernel, JavaScript); checks that both give the same bits.
 */
import { parseArgs } from 'node:util';
import { bandLength } from '../src/measure/layerDifferences.js';
import { prediction, predictionChange } from '../src/measure/predictionChange.js';
import { VocabularyKernel } from '../src/measure/vocabularyKernel.js';
import { createRandom } from '../src/util/random.js';

const VOCABULARY = 50257, WORDS = 40, MAX_LAG = 40;
/** Swapped rows a sequence reads: every word swapped, each band up to MAX_LAG. */
const SWAPPED_ROWS = Array.from({ length: WORDS }, (_, k) => bandLength(WORDS, MAX_LAG, k)).reduce((a, b) => a + b, 0);

/** The logits every sequence reads (the same for each: the bench times the passes, not the model). */
interface Rows {
  originals: Float32Array;
  /** Row t of the swapped run (every band k reads rows k .. k + band − 1 of it). */
  swapped: Float32Array;
}

type Path = (rows: Rows, sequences: number) => Float64Array;

function main(): void {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } }, strict: true });
  const sequences = values.quick ? 3 : 12;
  const rows = modelLikeRows(createRandom(1));
  const swappedRows = SWAPPED_ROWS * sequences;
  const paths: Record<string, Path> = { JavaScript: javascriptPath, kernel: kernelPath() };
  const seconds: Record<string, number[]> = { JavaScript: [], kernel: [] };
  const results: Record<string, Float64Array> = {};
  for (const name of ['JavaScript', 'kernel', 'kernel', 'JavaScript']) {
    process.stderr.write(`bench:kernel: ${name}, ${sequences} sequences\n`);
    const started = performance.now();
    results[name] = paths[name](rows, sequences);
    seconds[name].push((performance.now() - started) / 1000);
  }
  const same = results.JavaScript.every((value, i) => Object.is(value, results.kernel[i]));
  const entries = (swappedRows + sequences * WORDS) * VOCABULARY;
  const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / list.length;
  const nanoseconds = (name: string) => ((mean(seconds[name]) * 1e9) / entries).toFixed(1);
  const list = (name: string) => seconds[name].map((s) => `${s.toFixed(2)} s`).join(', ');
  process.stdout.write(`read-out's passes over the vocabulary, ${sequences} × ${WORDS} words, vocabulary ${VOCABULARY} `
    + `(${sequences * WORDS} originals, ${swappedRows} swapped rows): JavaScript ${list('JavaScript')}; kernel ${list('kernel')} `
    + `(${(mean(seconds.JavaScript) / mean(seconds.kernel)).toFixed(2)}×; ${nanoseconds('JavaScript')} → ${nanoseconds('kernel')} ns an entry); `
    + `the same bits: ${same ? 'yes' : 'NO'}\n`);
  if (!same) process.exitCode = 1;
}

/** Logits like a language model's (a bulk some nats wide), and the swapped run's: each moved by up to ½ nat. */
function modelLikeRows(random: () => number): Rows {
  const originals = Float32Array.from({ length: WORDS * VOCABULARY }, () => (random() + random() + random() - 1.5) * 8);
  const swapped = originals.map((z) => z + random() - 0.5);
  return { originals, swapped };
}

/** Both quantities of every swapped row, one sequence after another: [Σ|Δ log p|, KL] pairs. */
function resultsFor(sequences: number): Float64Array {
  return new Float64Array(2 * SWAPPED_ROWS * sequences);
}

function javascriptPath({ originals, swapped }: Rows, sequences: number): Float64Array {
  const results = resultsFor(sequences);
  let at = 0;
  for (let s = 0; s < sequences; s++) {
    const kept = Array.from({ length: WORDS }, (_, t) => prediction(originals.subarray(t * VOCABULARY, (t + 1) * VOCABULARY)));
    for (let k = 0; k < WORDS; k++) {
      for (let lag = 0; lag < bandLength(WORDS, MAX_LAG, k); lag++, at += 2) {
        [results[at], results[at + 1]] = predictionChange(kept[k + lag], swapped.subarray((k + lag) * VOCABULARY, (k + lag + 1) * VOCABULARY));
      }
    }
  }
  return results;
}

function kernelPath(): Path {
  const kernel = new VocabularyKernel(VOCABULARY, MAX_LAG + 1);
  return ({ originals, swapped }, sequences) => {
    const results = resultsFor(sequences);
    let at = 0;
    for (let s = 0; s < sequences; s++) {
      const kept = kernel.keep(originals);
      for (let k = 0; k < WORDS; k++) {
        const rows = bandLength(WORDS, MAX_LAG, k);
        const absolute = new Float64Array(rows), divergence = new Float64Array(rows);
        kernel.changes(kept.slice(k, k + rows), swapped.subarray(k * VOCABULARY), absolute, divergence);
        for (let lag = 0; lag < rows; lag++, at += 2) [results[at], results[at + 1]] = [absolute[lag], divergence[lag]];
      }
      kernel.release(kept);
    }
    return results;
  };
}

main();
