import { createHash } from 'node:crypto';
import { parseJsonText, readTextFile } from '../util/index.js';
import { writeFileAtomic } from '../util/index.js';
import { UserError } from '../util/index.js';
import { issueMessage, stimuliSchema } from './stimuliSchema.js';
import type { Stimuli } from './types.js';

/** Issues listed in one error before "and N more". */
const ISSUES_SHOWN = 5;

/**
 * The one home of a stimuli file's sha256 (report.provenance.stimuliSha256, a run's identity): the digest of its
 * canonical text (formatStimuliJson).
 */
export function sha256OfStimuliText(canonicalText: string): string {
  return createHash('sha256').update(canonicalText).digest('hex');
}

/**
 * The canonical text of a stimuli file: format, then meta (indented), then one sequence per line. Keys are
 * written in a fixed order, so the same stimuli always give the same bytes (and the same sha256).
 */
export function formatStimuliJson(stimuli: Stimuli): string {
  const lines = ['{', `  "format": ${JSON.stringify(stimuli.format)},`];
  if (stimuli.meta !== undefined) lines.push(`  "meta": ${JSON.stringify(stimuli.meta, null, 2).replace(/\n/g, '\n  ')},`);
  lines.push('  "sequences": [');
  stimuli.sequences.forEach((sequence, i) => {
    const ordered = {
      words: sequence.words,
      swaps: sequence.swaps,
      ...(sequence.sentenceStarts !== undefined ? { sentenceStarts: sequence.sentenceStarts } : {}),
    };
    lines.push(`    ${JSON.stringify(ordered)}${i < stimuli.sequences.length - 1 ? ',' : ''}`);
  });
  lines.push('  ]', '}', '');
  return lines.join('\n');
}

/** Writes stimuli as an iw-stimuli/1 file, whole or not at all. */
export function writeStimuliFile(path: string, stimuli: Stimuli): void {
  writeFileAtomic(path, formatStimuliJson(stimuli));
}

/** Reads and validates an iw-stimuli/1 file; errors name the file, the sequence and the position. */
export function readStimuliFile(path: string): Stimuli {
  return parseStimuliJson(readTextFile(path, 'stimuli file'), path);
}

/** Validates stimuli JSON text; `source` names it in errors. */
export function parseStimuliJson(text: string, source: string): Stimuli {
  const parsed = parseJsonText(text, `stimuli file ${source}`);
  const result = stimuliSchema.safeParse(parsed, { reportInput: true });
  if (result.success) return result.data as Stimuli;
  const issues = result.error.issues;
  const shown = issues.slice(0, ISSUES_SHOWN).map(issueMessage).join('; ');
  const more = issues.length > ISSUES_SHOWN ? `; and ${issues.length - ISSUES_SHOWN} more` : '';
  throw new UserError(`stimuli file ${source} is not valid iw-stimuli/1: ${shown}${more}`);
}
