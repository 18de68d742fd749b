import type { InferenceSession } from 'onnxruntime-node';
import { UserError } from '../../util/index.js';
import { LOGIT_ROWS, LOGITS_AT_ROWS } from '../onnx/logitsAtRows.js';

/** The input or output names of one block's keys and values. */
export interface KeyValueNames {
  key: string;
  value: string;
}

export interface SessionSignature {
  positionIds?: string;
  /** BERT-style exports take segment ids (all 0 for one text). */
  tokenTypeIds?: string;
  useCacheBranch?: string;
  /** Past inputs by block (empty when the file takes no past). */
  pastInputs: KeyValueNames[];
  /** Present outputs by block (empty when the file returns none). */
  presentOutputs: KeyValueNames[];
  logits?: string;
  /** Whether the graph takes chosen tokens (LOGIT_ROWS) and gives their logits (LOGITS_AT_ROWS): headAtRows. */
  logitsAtRows: boolean;
  pastType: 'float32' | 'float16';
  /**
   * Keys and values stacked in one tensor per block, [2, batch, heads, positions, headDim] (past_N / present_N of
   * ORT's GPT-2 optimizer): then each block's KeyValueNames holds that one name twice.
   */
  pastStacked: boolean;
  /** Integer type of each integer input (onnxruntime-genai builds some graphs with int32 ids and masks). */
  integerTypes: Map<string, IntegerType>;
  /** Key/value heads and head size when the file's past inputs declare them. */
  pastHeads?: number;
  pastHeadDim?: number;
}

export type IntegerType = 'int64' | 'int32';

const PAST = /^past\D*?(\d+)\D*?(key|value)$/i;
const PRESENT = /^present\D*?(\d+)\D*?(key|value)$/i;
const PAST_STACKED = /^past_(\d+)$/i;
const PRESENT_STACKED = /^present_(\d+)$/i;
const KNOWN_INPUTS = new Set(['input_ids', 'attention_mask', 'position_ids', 'token_type_ids', 'use_cache_branch']);

/**
 * What a decoder session takes and gives, read from its inputs and outputs: whether it takes position ids
 * and a past, the use_cache_branch switch of merged decoders, which outputs hold each block's keys/values,
 * and in which float type the past travels (fp16 exports take fp16 keys and values).
 */
export function readSignature(session: InferenceSession): SessionSignature {
  const stacked = keyValueNames(session.inputNames, PAST).length === 0 && session.inputNames.some((n) => PAST_STACKED.test(n));
  const pastInputs = stacked ? stackedNames(session.inputNames, PAST_STACKED) : keyValueNames(session.inputNames, PAST);
  const firstPast = pastInputs[0] ? session.inputMetadata.find((m) => m.name === pastInputs[0].key) : undefined;
  const pastShape = firstPast && firstPast.isTensor ? firstPast.shape.slice(stacked ? 1 : 0) : [];
  const pastType = firstPast && firstPast.isTensor && firstPast.type === 'float16' ? 'float16' : 'float32';
  const integerTypes = new Map<string, IntegerType>();
  for (const input of session.inputMetadata) {
    if (input.isTensor && (input.type === 'int32' || input.type === 'int64')) integerTypes.set(input.name, input.type);
  }
  return {
    positionIds: session.inputNames.find((n) => n === 'position_ids'),
    tokenTypeIds: session.inputNames.find((n) => n === 'token_type_ids'),
    useCacheBranch: session.inputNames.find((n) => n === 'use_cache_branch'),
    pastInputs,
    presentOutputs: stacked ? stackedNames(session.outputNames, PRESENT_STACKED) : keyValueNames(session.outputNames, PRESENT),
    logits: session.outputNames.find((n) => n === 'logits'),
    logitsAtRows: session.outputNames.includes(LOGITS_AT_ROWS) && session.inputNames.includes(LOGIT_ROWS),
    pastType,
    pastStacked: stacked,
    integerTypes,
    pastHeads: typeof pastShape[1] === 'number' ? pastShape[1] : undefined,
    pastHeadDim: typeof pastShape[3] === 'number' ? pastShape[3] : undefined,
  };
}

/**
 * Refuses (exit 2) a graph with inputs iw does not know how to fill, such as a static KV cache (key_cache.N,
 * value_cache.N, write_indices) that the caller updates in place: feeding them zeros would run, and be wrong.
 */
export function refuseUnknownInputs(inputs: readonly string[], fileLabel: string): void {
  const isPast = (name: string) => PAST.test(name) || PAST_STACKED.test(name);
  const unknown = inputs.filter((name) => !KNOWN_INPUTS.has(name) && !isPast(name));
  if (unknown.length === 0) return;
  throw new UserError(
    `${fileLabel} takes inputs iw cannot feed: ${unknown.join(', ')} (iw feeds input_ids, attention_mask, position_ids, ` +
      'token_type_ids and a dynamic past: past_key_values.N.key/value or past_N); use an export of the model with a ' +
      "dynamic KV cache or none (optimum's text-generation-with-past, as transformers.js repos ship, or onnxruntime-genai's model builder)",
  );
}

/** Names matching `pattern` (one tensor per block, numbered by the pattern's group), as a list by block. */
function stackedNames(names: readonly string[], pattern: RegExp): KeyValueNames[] {
  const byBlock = new Map<number, string>();
  for (const name of names) {
    const match = pattern.exec(name);
    if (match) byBlock.set(Number(match[1]), name);
  }
  return Array.from({ length: byBlock.size }, (_, block) => {
    const name = byBlock.get(block);
    if (name === undefined) throw new Error(`keys/values of block ${block} are missing among ${names.join(', ')}`);
    return { key: name, value: name };
  });
}

/** Names matching `pattern` (block number, key|value), as a list by block; blocks must run 0..n-1. */
function keyValueNames(names: readonly string[], pattern: RegExp): KeyValueNames[] {
  const byBlock = new Map<number, Partial<KeyValueNames>>();
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match) continue;
    const block = Number(match[1]);
    const entry = byBlock.get(block) ?? {};
    entry[match[2].toLowerCase() as 'key' | 'value'] = name;
    byBlock.set(block, entry);
  }
  const blocks: KeyValueNames[] = [];
  for (let block = 0; block < byBlock.size; block++) {
    const entry = byBlock.get(block);
    if (!entry?.key || !entry.value) throw new Error(`keys/values of block ${block} are missing among ${names.join(', ')}`);
    blocks.push(entry as KeyValueNames);
  }
  return blocks;
}
