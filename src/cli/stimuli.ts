import type { Command } from 'commander';
import { config, json, quiet, seed } from '../config/index.js';
import { corpusOptions } from '../config/index.js';
import { cacheDir, dtype, model, offline, revision } from '../config/index.js';
import { refuseYokingOnlyOptions, stats, stimuliOptions, stimuliOut } from '../config/index.js';
import type { Corpus } from '../corpus/index.js';
import type { OptionValues } from '../config/index.js';
import { buildStimuliFromOptions, corpusStats, loadCleanCorpus, writeStimuliFile, type StimuliModelParts } from '../stimuli/index.js';
import { formatCorpusStats } from './corpusStatsTable.js';
import { UserError } from '../util/index.js';
import { addOptions, commandOptions } from './command.js';
import { checkOutputFile } from './outputPath.js';
import { warnOn } from './io.js';
import type { CommandRegistration } from './command.js';

const specs = [...corpusOptions, ...stimuliOptions, model, revision, cacheDir, offline, dtype, seed, stimuliOut, stats, json, quiet, config] as const;

type StimuliCommandOptions = OptionValues<typeof specs>;


/** `iw stimuli`: builds stimuli from a corpus and writes them as an iw-stimuli/1 file, or prints what a corpus offers. */
export const registerStimuli: CommandRegistration = (program, io) => {
  const command: Command = program
    .command('stimuli')
    .description('build word-swap stimuli from a corpus and write them as iw-stimuli/1 JSON (--out FILE), or print what the corpus offers (--stats)');
  addOptions(command, specs);
  command.action(async () => {
    const givenAt = new Map<string, string>();
    const options = commandOptions(command, specs, {}, givenAt);
    const { out } = options;
    if (!options.stats && !out) throw new UserError('iw stimuli needs --out FILE (where to write the stimuli) or --stats');
    if (!options.stats) refuseYokingOnlyOptions(options.yoking, givenAt);
    if (out && !options.stats) checkOutputFile(out, warnOn(io));
    const { corpus, clean } = loadCleanCorpus(options);
    if (!options.quiet) io.stderr(describeCorpus(corpus));
    if (options.stats) {
      const parts = options.model ? await loadModelParts(options.model, options) : undefined;
      const result = corpusStats(corpus, clean, { words: options.words, sentenceWords: options.sentenceWords, tokenizer: parts?.tokenizer });
      io.stdout(options.json ? `${JSON.stringify({ ...result, model: options.model ?? null }, null, 2)}\n` : formatCorpusStats(result, options.model));
      return;
    }
    const stimuli = await buildStimuliFromOptions(clean, options, options.model ? await loadModelParts(options.model, options) : undefined);
    if (!out) return; // refused above unless --stats, which returned
    writeStimuliFile(out, stimuli);
    for (const note of stimuli.meta.notes) io.stderr(`iw: note: ${note}\n`);
    io.stdout(summary(stimuli.meta, stimuli.sequences.length, out));
  });
};

/**
 * The model's tokenizer, and what the swap rule may ask for: its input embeddings, a fill-mask model (src/model,
 * loaded only when a model is named).
 */
async function loadModelParts(model: string, options: StimuliCommandOptions): Promise<StimuliModelParts> {
  const { resolveModel, loadWordTokenizer, readEmbeddingMatrix, loadSwapModel } = await import('../model/index.js');
  const { cacheDir, offline, revision, dtype, quiet, swapModel } = options;
  const resolved = await resolveModel({ model, revision, cacheDir, offline, dtype });
  const tokenizer = await loadWordTokenizer(resolved);
  return {
    name: model,
    dtype: resolved.dtype,
    tokenizer,
    readEmbedding: () => readEmbeddingMatrix(resolved),
    openPredictor: () => loadSwapModel({ swapModel, model, revision, cacheDir, offline, dtype, quiet }),
  };
}

function describeCorpus(corpus: Corpus): string {
  const how = corpus.detectedFormat ? `detected ${corpus.format}: ${corpus.formatReason}` : `${corpus.format}, as given`;
  const files = `${corpus.files.length.toLocaleString('en-US')} file${corpus.files.length === 1 ? '' : 's'}`;
  const lines = [`iw: corpus ${corpus.path}: ${files}, ${corpus.sentences.length.toLocaleString('en-US')} sentences (${how})\n`];
  for (const skipped of corpus.skippedFiles) lines.push(`iw: skipped ${skipped.file}: ${skipped.reason}\n`);
  return lines.join('');
}

function summary(meta: Awaited<ReturnType<typeof buildStimuliFromOptions>>['meta'], sequences: number, out: string): string {
  const shape = meta.kind === 'yoking'
    ? `${sequences} yoking sequences of ${meta.sentencesPerSequence} × ${meta.sentenceWords} words (from ${meta.eligibleSentences} eligible sentences)`
    : `${sequences} window sequences of ${meta.wordsPerSequence} words (within ${meta.within}; the corpus allows ${meta.sequencesAvailable?.toLocaleString('en-US')})`;
  const swap = meta.swap;
  const band = swap.band ? `, band ${swap.band.low.toFixed(4)}–${swap.band.high.toFixed(4)} (${swap.band.chosen})` : '';
  const probable = swap.probable ? ` from ${swap.probable.model}, ranks ${swap.probable.ranks[0]}–${swap.probable.ranks[1] - 1}` : '';
  const changed = swap.tokenCountChangedShare === null ? '' : `, ${(100 * swap.tokenCountChangedShare).toFixed(1)} % change the token count`;
  return `wrote ${out}: ${shape}; swaps: ${swap.rule}${band}${probable}, ${(100 * swap.fallbackShare).toFixed(1)} % fell back to random${changed}\n`;
}
