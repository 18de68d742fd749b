import type { CorpusStats } from '../stimuli/index.js';
import { textTable } from '../util/index.js';

/** `iw stimuli --stats` for people: one line per quantity. */
export function formatCorpusStats(stats: CorpusStats, modelName?: string): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const steps = stats.cleaning;
  const on = [
    steps.lowercase && 'lowercase',
    steps.splitHyphens && 'split hyphens',
    steps.dropPunctuation && 'drop punctuation',
    steps.alphabeticOnly && 'alphabetic only',
    stats.tagged && `proper nouns: ${steps.properNouns}`,
  ].filter(Boolean).join(', ');
  const skipped = stats.skippedFiles.length > 0 ? `; skipped ${stats.skippedFiles.length}: ${stats.skippedFiles.map(baseName).join(', ')}` : '';
  const w = stats.windows;
  const y = stats.yoking;
  const singleToken = y.singleTokenSentencesOfLength === null
    ? 'single-token count needs --model'
    : `${n(y.singleTokenSentencesOfLength)} of them all single tokens under ${modelName ?? 'the model'}'s tokenizer`;
  const rows: Array<[string, string]> = [
    ['corpus', `${stats.path} (${n(stats.files)} file${stats.files === 1 ? '' : 's'}${skipped})`],
    ['format', `${stats.format} (${stats.detectedFormat ? `detected: ${stats.formatReason}` : 'given'})${stats.tagged ? ', tagged' : ''}`],
    ['sentences', `${n(stats.sentences)} as read (${n(stats.tokens)} tokens)`],
    ['cleaning', on || 'none'],
    ['cleaned sentences', `${n(stats.cleanedSentences)} (dropped: ${n(stats.droppedForProperNouns)} with proper nouns, ${n(stats.droppedEmpty)} left empty)`],
    ['cleaned words', `${n(stats.cleanedWords)} (vocabulary ${n(stats.vocabulary)} types)`],
    [`${w.words}-word windows`, `within a run ${n(w.run)}, a sentence ${n(w.sentence)}, a document ${n(w.document)}, the corpus ${n(w.corpus)}`],
    [`${y.sentenceWords}-word sentences`, `${n(y.sentencesOfLength)} with no word dropped; ${singleToken}`],
  ];
  return textTable([{ header: 'quantity', align: 'left' }, { header: 'value', align: 'left' }], rows, { header: false });
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
