import { Tensor } from 'onnxruntime-node';
import { float32ToHalf, halfToFloat32 } from '../onnx/float16.js';
import type { TappedSession } from './tappedSession.js';
import type { IntegerType } from './sessionSignature.js';
import { chosenLogits, chosenLogitsOutput, logitRowsFeed } from './chosenLogits.js';
import type { ForwardInput, ForwardOutput, ForwardRequest, PastKeyValues, PastLayout } from '../types.js';

/**
 * One run of a tapped session: ForwardInput → ONNX feeds, and the fetched outputs → float32 taps, keys/values
 * and logits. Only the outputs asked for are fetched, so a batch holds the requested layers and nothing else.
 */
export async function runForward(
  tapped: TappedSession,
  input: ForwardInput,
  request: ForwardRequest,
  layout: PastLayout,
): Promise<ForwardOutput> {
  const fetches = fetchNames(tapped, request);
  const names = [...fetches.taps.values(), ...fetches.present, ...(fetches.logits === undefined ? [] : [fetches.logits])];
  const results = await tapped.session.run({ ...feeds(tapped, input, layout), ...logitRowsFeed(tapped.signature, input, request.logitRows) }, names);
  const output: ForwardOutput = { taps: new Map() };
  for (const [layer, name] of fetches.taps) output.taps.set(layer, asFloat32(results[name]));
  if (request.wantPresent) output.present = readPresent(tapped, results, input.batchSize);
  const logits = fetches.logits === undefined ? undefined : results[fetches.logits];
  if (logits && request.logitRows) output.logits = chosenLogits(tapped.signature, asFloat32(logits), logits.dims, request.logitRows);
  else if (logits) output.logits = asFloat32(logits);
  return output;
}

/** The outputs to fetch for a request, refused when the session does not have them: per layer, present, logits. */
function fetchNames(tapped: TappedSession, request: ForwardRequest): { taps: Map<number, string>; present: string[]; logits?: string } {
  const taps = new Map<number, string>();
  for (const layer of request.layers) {
    const name = tapped.plan.outputNames.get(layer);
    if (name === undefined) throw new Error(`layer ${layer} does not exist (layers 0..${tapped.plan.taps.length - 1})`);
    taps.set(layer, name);
  }
  const present: string[] = [];
  if (request.wantPresent) {
    if (tapped.signature.presentOutputs.length === 0) throw new Error(`${tapped.file} returns no keys/values (present)`);
    for (const block of tapped.signature.presentOutputs) present.push(...new Set([block.key, block.value]));
  }
  if (request.logitRows) return { taps, present, logits: chosenLogitsOutput(tapped.signature) };
  if (!request.wantLogits) return { taps, present };
  if (!tapped.signature.logits) throw new Error("every token's logits were not kept: load the model with logits 'all'");
  return { taps, present, logits: tapped.signature.logits };
}

function feeds(tapped: TappedSession, input: ForwardInput, layout: PastLayout): Record<string, Tensor> {
  const { batchSize, sequenceLength } = input;
  const pastLength = input.past?.length ?? 0;
  const total = pastLength + sequenceLength;
  if (input.inputIds.length !== batchSize * sequenceLength) throw new Error(`inputIds holds ${input.inputIds.length} ids, not ${batchSize}×${sequenceLength}`);
  if (input.attentionMask.length !== batchSize * total) throw new Error(`attentionMask holds ${input.attentionMask.length} values, not ${batchSize}×${total} (past ${pastLength} + ${sequenceLength} new)`);
  const signature = tapped.signature;
  const integer = (name: string, values: BigInt64Array, dims: number[]) => integerTensor(values, dims, signature.integerTypes.get(name));
  const result: Record<string, Tensor> = {
    input_ids: integer('input_ids', input.inputIds, [batchSize, sequenceLength]),
    attention_mask: integer('attention_mask', input.attentionMask, [batchSize, total]),
  };
  if (signature.tokenTypeIds) result[signature.tokenTypeIds] = integer(signature.tokenTypeIds, new BigInt64Array(batchSize * sequenceLength), [batchSize, sequenceLength]);
  if (signature.positionIds) {
    const positions = input.positionIds ?? positionsFromMask(input.attentionMask, batchSize, total, sequenceLength);
    result[signature.positionIds] = integer(signature.positionIds, positions, [batchSize, sequenceLength]);
  }
  if (input.past && input.past.length > 0 && signature.pastInputs.length === 0) throw new Error(`${tapped.file} takes no past keys/values`);
  signature.pastInputs.forEach((names, block) => {
    const shape = [batchSize, layout.kvHeads, pastLength, layout.headDim];
    const keys = checkedPast(input.past?.keys[block], shape);
    const values = checkedPast(input.past?.values[block], shape);
    if (signature.pastStacked) {
      const both = new Float32Array(keys.length * 2);
      both.set(keys);
      both.set(values, keys.length);
      result[names.key] = floatTensor(both, [2, ...shape], signature.pastType);
    } else {
      result[names.key] = floatTensor(keys, shape, signature.pastType);
      result[names.value] = floatTensor(values, shape, signature.pastType);
    }
  });
  if (signature.useCacheBranch) result[signature.useCacheBranch] = new Tensor('bool', Uint8Array.of(pastLength > 0 ? 1 : 0), [1]);
  return result;
}

/** Hugging Face's default positions: cumsum(mask) − 1 over past and new tokens, new tokens' part; padding gets 0. */
export function positionsFromMask(mask: BigInt64Array, batchSize: number, total: number, sequenceLength: number): BigInt64Array {
  const positions = new BigInt64Array(batchSize * sequenceLength);
  for (let row = 0; row < batchSize; row++) {
    let seen = 0n;
    for (let column = 0; column < total; column++) {
      const attended = mask[row * total + column] !== 0n;
      if (attended) seen += 1n;
      const newIndex = column - (total - sequenceLength);
      if (newIndex >= 0) positions[row * sequenceLength + newIndex] = attended ? seen - 1n : 0n;
    }
  }
  return positions;
}

function checkedPast(values: Float32Array | undefined, shape: number[]): Float32Array {
  const data = values ?? new Float32Array(0);
  const expected = shape.reduce((n, d) => n * d, 1);
  if (data.length !== expected) throw new Error(`past tensor holds ${data.length} values, not ${shape.join('×')}`);
  return data;
}

function floatTensor(data: Float32Array, shape: number[], type: 'float32' | 'float16'): Tensor {
  return type === 'float16' ? new Tensor('float16', float32ToHalf(data), shape) : new Tensor('float32', data, shape);
}

/** Ids, masks and positions in the integer type the graph declares (int64 unless it says int32). */
function integerTensor(values: BigInt64Array, dims: number[], type: IntegerType | undefined): Tensor {
  return type === 'int32' ? new Tensor('int32', Int32Array.from(values, Number), dims) : new Tensor('int64', values, dims);
}

function readPresent(tapped: TappedSession, results: Record<string, Tensor>, batchSize: number): PastKeyValues {
  const blocks = tapped.signature.presentOutputs;
  const stacked = tapped.signature.pastStacked;
  const length = Number(results[blocks[0].key].dims[stacked ? 3 : 2]);
  if (!stacked) return { batchSize, length, keys: blocks.map((b) => asFloat32(results[b.key])), values: blocks.map((b) => asFloat32(results[b.value])) };
  // Keys and values stacked in one tensor per block: converted once (fp16 pasts), then split in halves.
  const both = blocks.map((b) => asFloat32(results[b.key]));
  return {
    batchSize,
    length,
    keys: both.map((kv) => kv.subarray(0, kv.length / 2)),
    values: both.map((kv) => kv.subarray(kv.length / 2)),
  };
}

/** A float output as float32 (fp16 outputs arrive as Uint16Array bit patterns). */
function asFloat32(tensor: Tensor): Float32Array {
  const data = tensor.data;
  if (data instanceof Float32Array) return data;
  if (tensor.type === 'float16' && data instanceof Uint16Array) return halfToFloat32(data);
  if (tensor.type === 'float16' || tensor.type === 'float64') return Float32Array.from(data as ArrayLike<number>);
  throw new Error(`expected a float output, got ${tensor.type}`);
}
