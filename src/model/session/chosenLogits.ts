import { Tensor } from 'onnxruntime-node';
import type { SessionSignature } from './sessionSignature.js';
import { LOGIT_ROWS, LOGITS_AT_ROWS } from '../onnx/logitsAtRows.js';
import type { ForwardInput } from '../types.js';

/**
 * The LOGIT_ROWS feed of a session whose head runs on chosen tokens, as (row, position) pairs, the last repeated up
 * to a multiple of ROWS_STEP; an empty list when no logits are asked for (the graph still takes the input).
 */
export function logitRowsFeed(signature: SessionSignature, input: ForwardInput, rows: Int32Array | undefined): Record<string, Tensor> {
  if (!signature.logitsAtRows) return {};
  const chosen = rows ?? new Int32Array(0);
  const count = paddedRowCount(chosen.length);
  const pairs = new BigInt64Array(count * 2);
  for (let i = 0; i < count; i++) {
    const flat = chosen[Math.min(i, chosen.length - 1)];
    pairs[2 * i] = BigInt(Math.floor(flat / input.sequenceLength));
    pairs[2 * i + 1] = BigInt(flat % input.sequenceLength);
  }
  return { [LOGIT_ROWS]: new Tensor('int64', pairs, [count, 2]) };
}

/**
 * The projection runs on a multiple of this many rows. ONNX Runtime's 4-bit and NF4 products (MatMulNBits,
 * MatMulBnb4) take one row down a matrix–vector path that rounds otherwise: on stories260K, 400 of 512 logits of a
 * row alone differed from the same row among others, none at 2 to 32 rows. Multiples of 4, as a padded batch's
 * tokens are (engine's INPUT_STEP), keep every choice on the paths the whole batch takes, so that a token's logits
 * have the same bits whatever else is chosen (test/model/logitsAtRows.test.ts).
 */
const ROWS_STEP = 4;

function paddedRowCount(rows: number): number {
  return Math.ceil(rows / ROWS_STEP) * ROWS_STEP;
}

/** The output to fetch for chosen tokens' logits: the graph's own at those rows, or every token's to cut them from. */
export function chosenLogitsOutput(signature: SessionSignature): string {
  const name = signature.logitsAtRows ? LOGITS_AT_ROWS : signature.logits;
  if (name === undefined) throw new Error("logits were not kept: load the model with logits 'rows'");
  return name;
}

/**
 * The chosen tokens' logits [rows × vocabulary] from a run's results: as the graph gave them, or, for a graph whose
 * head cannot run on chosen rows (findLogitsHead), cut from every token's.
 */
export function chosenLogits(signature: SessionSignature, logits: Float32Array, dims: readonly number[], rows: Int32Array): Float32Array {
  const vocabulary = dims[dims.length - 1];
  if (signature.logitsAtRows) return logits.subarray(0, rows.length * vocabulary);
  const chosen = new Float32Array(rows.length * vocabulary);
  rows.forEach((flat, i) => chosen.set(logits.subarray(flat * vocabulary, (flat + 1) * vocabulary), i * vocabulary));
  return chosen;
}
