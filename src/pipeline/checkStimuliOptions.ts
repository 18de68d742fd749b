import { yokingOnsets, type YokingDesign } from '../analysis/index.js';
import type { Stimuli } from '../stimuli/index.js';
import { UserError } from '../util/index.js';
import type { EstimateOptions } from '../config/index.js';

/**
 * Checks the stimuli against the options that will analyse them, before any model runs, so that a run is never
 * lost to a setting the analysis would refuse at the end. Messages name the flags to change.
 */
export function checkStimuliAgainstOptions(stimuli: Stimuli, options: EstimateOptions, design?: YokingDesign): void {
  const words = stimuli.sequences[0].words.length;
  const needed = options.minSwap + options.maxLag + 1;
  if (words < needed) {
    const [source, fix] = options.stimuli
      ? [`the sequences of ${options.stimuli} have ${words}`, 'use stimuli with longer sequences']
      : options.yoking
        ? [`the yoking sequences have ${words} (--sentences × --sentence-words)`, 'raise --sentences or --sentence-words']
        : [`--words is ${words}`, `raise --words to ${needed}`];
    throw new UserError(
      `--max-lag ${options.maxLag} with --min-swap ${options.minSwap} needs sequences of at least ${needed} words ` +
        `(a measured word t needs t − maxLag ≥ minSwap), but ${source}: ${fix}, or lower --max-lag or --min-swap`,
    );
  }
  if (options.bootstrap > 0 && stimuli.sequences.length < 2) {
    throw new UserError(`--bootstrap needs at least 2 sequences to resample; the stimuli have ${stimuli.sequences.length} (raise --sequences, or leave out --bootstrap)`);
  }
  if (design) yokingOnsets({ wordCount: words, maxLag: options.maxLag }, design);
}
