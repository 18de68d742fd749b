import type { CorpusFormat } from './types.js';

export interface DetectedFormat {
  format: CorpusFormat;
  /** What in the text decided it, for the user. */
  reason: string;
}

/** Lines looked at: enough to decide, few enough that a large file costs nothing. */
const SAMPLE_LINES = 400;
/** Share of tokens that must be word/tag for the Brown format. */
const BROWN_SHARE = 0.9;
/** Share of lines that must end a sentence for one-sentence-per-line text. */
const LINE_END_SHARE = 0.8;

/** A Brown-style tag: letters and the marks Brown's tags use (np$, nn-tl, ``, '', --, vbz*, pps+bez). */
const TAG = /^[A-Za-z0-9$'()*+,\-.:`]+$/;

/**
 * Guesses a file's format from its first lines: Brown when nearly every token is word/tag; one sentence per
 * line when nearly every line ends a sentence (or the text has no sentence punctuation at all, so only its
 * lines can mark sentences); otherwise running text with wrapped lines.
 */
export function detectFormat(text: string): DetectedFormat {
  const lines = sampleLines(text);
  const tokens = lines.flatMap((line) => line.split(/\s+/));
  const tagged = tokens.filter(isWordTag).length;
  if (tokens.length > 0 && tagged / tokens.length >= BROWN_SHARE) {
    return { format: 'brown', reason: `${percent(tagged / tokens.length)} of the tokens in its first ${lines.length} lines are word/tag` };
  }
  const ending = lines.filter(endsSentence).length;
  if (lines.length > 0 && ending / lines.length >= LINE_END_SHARE) {
    return { format: 'lines', reason: `${percent(ending / lines.length)} of its first ${lines.length} lines end a sentence` };
  }
  if (lines.length > 1 && !lines.some((line) => /[.!?]/.test(line))) {
    return { format: 'lines', reason: 'it has no sentence punctuation, so its lines are taken as sentences' };
  }
  return { format: 'text', reason: `only ${percent(ending / Math.max(1, lines.length))} of its first ${lines.length} lines end a sentence, so lines are wrapped running text` };
}

function sampleLines(text: string): string[] {
  const lines: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.length > 0) lines.push(line);
    if (lines.length === SAMPLE_LINES) break;
  }
  return lines;
}

function isWordTag(token: string): boolean {
  const slash = token.lastIndexOf('/');
  return slash > 0 && slash < token.length - 1 && TAG.test(token.slice(slash + 1));
}

/** Ends with . ! or ? (possibly followed by closing quotes or brackets). */
function endsSentence(line: string): boolean {
  return /[.!?]["'\u201d\u2019)\]]*$/.test(line);
}

function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}
