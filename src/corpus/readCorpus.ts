import { UserError } from '../util/index.js';
import { readBrownText } from './brownReader.js';
import { readCorpusFiles, type CorpusFileText } from './corpusFiles.js';
import { detectFormat, type DetectedFormat } from './detectFormat.js';
import { readLinesText } from './linesReader.js';
import { readPlainText } from './textReader.js';
import type { Corpus, CorpusFormat, CorpusFormatChoice, CorpusSentence } from './types.js';

export interface ReadCorpusOptions {
  /** Format of every file, or 'auto' (the default) to detect it. */
  format?: CorpusFormatChoice;
}

/**
 * Reads a corpus: one file, or a folder of files (each file one document). With format 'auto', each file's
 * format is detected and the folder takes the format most of its files have. In a Brown corpus, files that are
 * not in Brown form (NLTK's folder has README and CONTENTS beside the samples) are skipped and listed.
 */
export function readCorpus(path: string, options: ReadCorpusOptions = {}): Corpus {
  const choice = options.format ?? 'auto';
  const texts = readCorpusFiles(path);
  const detections = texts.map((t) => detectFormat(t.text));
  const { format, reason } = choice === 'auto' ? folderFormat(detections, texts.length) : { format: choice, reason: 'given by --corpus-format' };
  const read: CorpusFileText[] = [];
  const skippedFiles: Corpus['skippedFiles'] = [];
  texts.forEach((t, i) => {
    if (format === 'brown' && texts.length > 1 && detections[i].format !== 'brown') {
      skippedFiles.push({ file: t.file, reason: `not in Brown word/tag form (looks like ${detections[i].format}: ${detections[i].reason})` });
    } else {
      read.push(t);
    }
  });
  if (read.length === 0) throw new UserError(`--corpus ${path}: none of its ${texts.length} files is in Brown word/tag form`);
  const sentences = read.flatMap((t, document) => readSentences(t, format, document));
  if (sentences.length === 0) throw new UserError(`--corpus ${path}: no sentences found`);
  return {
    path,
    files: read.map((t) => t.file),
    skippedFiles,
    sentences,
    format,
    detectedFormat: choice === 'auto',
    formatReason: reason,
    tagged: format === 'brown',
  };
}

function readSentences(file: CorpusFileText, format: CorpusFormat, document: number): CorpusSentence[] {
  switch (format) {
    case 'brown': return readBrownText(file.text, file.file, document);
    case 'lines': return readLinesText(file.text, document);
    case 'text': return readPlainText(file.text, document);
  }
}

/** One file: its own detection. A folder: the format most files have (Brown first, then text over lines on a tie). */
function folderFormat(detections: DetectedFormat[], fileCount: number): DetectedFormat {
  if (fileCount === 1) return detections[0];
  const order: CorpusFormat[] = ['brown', 'text', 'lines'];
  const votes = order.map((format) => detections.filter((d) => d.format === format).length);
  const best = order[votes.indexOf(Math.max(...votes))];
  return { format: best, reason: `${votes[order.indexOf(best)]} of its ${fileCount} files look like ${best}` };
}
