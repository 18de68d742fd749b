import { z } from 'zod';
import { shown } from '../util/index.js';

/**
 * The iw-stimuli/1 interchange format (docs/method.md §1), validated with zod when read back, with messages that
 * name the sequence and the position. Words are joined by single spaces to make the model input, so a word
 * must be non-empty and hold no white space; a swap must differ from the word it replaces.
 */
const word = z.string({ error: 'must be a word (a string)' })
  .min(1, { error: 'must be a non-empty word' })
  .regex(/^\S+$/, { error: 'must be one word, without spaces (words are joined by single spaces)' });

const sequenceSchema = z.strictObject({
  words: z.array(word, { error: 'must be a list of words' }).min(1, { error: 'must hold at least one word' }),
  swaps: z.array(word.nullable(), { error: 'must be a list with one replacement word (or null) per position' }),
  sentenceStarts: z.array(z.number({ error: 'must be a word index' }).int({ error: 'must be a whole word index' }).min(0, { error: 'must be a word index ≥ 0' }), {
    error: 'must be a list of word indices',
  }).optional(),
}, { error: 'must be an object with words and swaps' }).superRefine((sequence, context) => {
  if (sequence.swaps.length !== sequence.words.length) {
    context.addIssue({ code: 'custom', path: ['swaps'], message: `has ${sequence.swaps.length} entries but the sequence has ${sequence.words.length} words (one swap or null per word)` });
  }
  sequence.swaps.forEach((swap, k) => {
    if (swap !== null && swap === sequence.words[k]) {
      context.addIssue({ code: 'custom', path: ['swaps', k], message: `is the word itself (${shown(swap)}); a swap must replace it with another word` });
    }
  });
  const starts = sequence.sentenceStarts;
  if (starts && starts.length > 0) {
    if (starts[0] !== 0) context.addIssue({ code: 'custom', path: ['sentenceStarts'], message: `must begin with 0, the first word (indices in the file count from 0; got ${starts[0]})` });
    starts.forEach((start, i) => {
      if (i > 0 && start <= starts[i - 1]) context.addIssue({ code: 'custom', path: ['sentenceStarts', i], message: `must be greater than the start before it (${starts[i - 1]})` });
      if (start >= sequence.words.length) context.addIssue({ code: 'custom', path: ['sentenceStarts', i], message: `is past the last word (the sequence has ${sequence.words.length} words)` });
    });
  }
});

export const stimuliSchema = z.strictObject({
  format: z.literal('iw-stimuli/1', { error: 'must be "iw-stimuli/1"' }),
  sequences: z.array(sequenceSchema, { error: 'must be a list of sequences' }).min(1, { error: 'must hold at least one sequence' }),
  meta: z.record(z.string(), z.json(), { error: 'must be an object of JSON values' }).optional(),
}, { error: 'must be a JSON object {"format": "iw-stimuli/1", "sequences": [...]}' });

/**
 * Where an issue is, in words: `sequence 3, word 7`, `sequence 3, the swap of word 7`, `sequence 1, sentenceStarts
 * entry 2`, `format`. Sequences, words and entries are counted from 1, as in every iw message (estimate's
 * "sequence 3 with word 7 swapped"); values quoted from the file, such as word indices, are shown as they are.
 */
export function issueLocation(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'the file';
  if (path[0] !== 'sequences' || path.length === 1) return path.map(String).join('.');
  const parts = [`sequence ${countFromOne(path[1])}`];
  const [, , field, index] = path;
  if (field === undefined) return parts[0];
  if (field === 'words' && index !== undefined) parts.push(`word ${countFromOne(index)}`);
  else if (field === 'swaps' && index !== undefined) parts.push(`the swap of word ${countFromOne(index)}`);
  else parts.push(index === undefined ? String(field) : `${String(field)} entry ${countFromOne(index)}`);
  return parts.join(', ');
}

function countFromOne(index: PropertyKey): string {
  return typeof index === 'number' ? String(index + 1) : String(index);
}

/** An issue as one line; the offending value is shown when it is short. */
export function issueMessage(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  const got = input !== undefined && (typeof input !== 'object' || input === null) ? ` (got ${shown(input)})` : '';
  const message = issue.code === 'unrecognized_keys' ? `has unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => shown(k)).join(', ')}` : issue.message;
  return `${issueLocation(issue.path)}: ${message}${got}`;
}
