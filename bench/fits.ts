/**
 * `npm run bench:fits` (and the first part of `npm run bench`): unit fits per second on one core, today's
 * fitter (ml-levenberg-marquardt, kept as the reference) against iw's own (curveFitter.ts), on real unit windows
 * of the shared models, with every window's SSE compared (issue 11: none may be worse by more than 1e-9).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { alphabeticOnly, corpusFormat, dropPunctuation, lowercase, properNouns, splitHyphens } from '../src/config/options/corpus.js';
import { buildStimuliFromOptions, loadCleanCorpus } from '../src/stimuli/index.js';
import type { Stimuli } from '../src/stimuli/types.js';
import { concatenate } from '../src/util/concatenate.js';
import { compareFitters, NOT_WORSE, type FitComparison } from './fitComparison.js';
import { measureUnitWindows } from './unitWindows.js';

const sharedDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared');
const MODELS = ['gutenberg-gpt2-small', 'gutenberg-gpt2-small-untrained', 'gutenberg-gpt2-small-step400'];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } }, strict: true });
  // full: 3 models × 2 stimuli sets × 9 layers × 256 units = 13,824 windows; quick: 1 model, 1 set, 12 sequences
  const models = values.quick ? MODELS.slice(0, 1) : MODELS;
  const seeds = values.quick ? [1] : [1, 2];
  const sequences = values.quick ? 12 : 60;
  const log = (line: string) => process.stderr.write(`bench:fits: ${line}\n`);
  const sets = await Promise.all(seeds.map((seed) => brownStimuli(sequences, 40, seed)));
  const parts: Float64Array[] = [];
  for (const model of models) {
    for (const stimuli of sets) {
      log(`measuring unit windows of ${model} on ${stimuli.sequences.length} Brown sequences of 40 words`);
      parts.push((await measureUnitWindows(resolve(sharedDir, 'models', model), stimuli)).windows);
    }
  }
  const windows = concatenate(parts, (n) => new Float64Array(n));
  log(`fitting ${windows.length / 21} windows with both fitters`);
  process.stdout.write(`${formatFitComparison(compareFitters(windows, 21), `${models.join(', ')}; Brown, ${sets.length} × ${sequences} sequences of 40 words`)}\n`);
}

async function brownStimuli(sequences: number, words: number, seed: number): Promise<Stimuli> {
  const { clean } = loadCleanCorpus({
    corpus: resolve(sharedDir, 'corpora', 'brown'), corpusFormat: corpusFormat.defaultValue!, lowercase: lowercase.defaultValue!,
    splitHyphens: splitHyphens.defaultValue!, dropPunctuation: dropPunctuation.defaultValue!,
    alphabeticOnly: alphabeticOnly.defaultValue!, properNouns: properNouns.defaultValue!,
  });
  return await buildStimuliFromOptions(clean, { sequences, words, within: 'document', swap: 'pos', yoking: false, sentences: 5, sentenceWords: 12, seed });
}

function formatFitComparison(result: FitComparison, source: string): string {
  const row = (t: FitComparison['reference']) =>
    `| ${t.name} | ${result.windows} | ${t.seconds.toFixed(2)} | ${Math.round(t.windowsPerSecond)} | ${(1e6 / t.windowsPerSecond).toFixed(0)} µs |`;
  return [
    `Unit fits on one core (${source})`,
    '',
    '| fitter | windows | seconds | windows/s | per window |',
    '|---|---|---|---|---|',
    row(result.reference),
    row(result.current),
    '',
    `speed-up: ${result.speedUp.toFixed(1)}×`,
    `SSE against the reference: ${result.worse} windows worse by more than ${NOT_WORSE} (relative), ${result.lower} lower; ` +
      `largest relative excess ${result.largestRelativeExcess.toExponential(2)}, largest relative gain ${(-result.largestRelativeGain).toExponential(2)}`,
  ].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
