import type { InferenceSession } from 'onnxruntime-node';

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
  pastType: 'float32' | 'float16';
  /** Key/value heads and head size when the file's past inputs declare them. */
  pastHeads?: number;
  pastHeadDim?: number;
}

const PAST = /^past\D*?(\d+)\D*?(key|value)$/i;
const PRESENT = /^present\D*?(\d+)\D*?(key|value)$/i;

/**
 * What a decoder session takes and gives, read from its inputs and outputs: whether it takes position ids
 * and a past, the use_cache_branch switch of merged decoders, which outputs hold each block's keys/values,
 * and in which float type the past travels (fp16 exports take fp16 keys and values).
 */
export function readSignature(session: InferenceSession): SessionSignature {
  const pastInputs = keyValueNames(session.inputNames, PAST);
  const firstPast = pastInputs[0] ? session.inputMetadata.find((m) => m.name === pastInputs[0].key) : undefined;
  const pastShape = firstPast && firstPast.isTensor ? firstPast.shape : [];
  const pastType = firstPast && firstPast.isTensor && firstPast.type === 'float16' ? 'float16' : 'float32';
  return {
    positionIds: session.inputNames.find((n) => n === 'position_ids'),
    tokenTypeIds: session.inputNames.find((n) => n === 'token_type_ids'),
    useCacheBranch: session.inputNames.find((n) => n === 'use_cache_branch'),
    pastInputs,
    presentOutputs: keyValueNames(session.outputNames, PRESENT),
    logits: session.outputNames.find((n) => n === 'logits'),
    pastType,
    pastHeads: typeof pastShape[1] === 'number' ? pastShape[1] : undefined,
    pastHeadDim: typeof pastShape[3] === 'number' ? pastShape[3] : undefined,
  };
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
