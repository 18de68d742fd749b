import type { PastKeyValues } from '../model/types.js';

/** One original sequence's keys and values for every block: per block [kvHeads, tokens, headDim]. */
export interface SequencePast {
  length: number;
  keys: Float32Array[];
  values: Float32Array[];
}

export interface PastLayout {
  blocks: number;
  kvHeads: number;
  headDim: number;
}

/** Cuts batch row `row`'s first `length` positions out of a batch's present keys/values. */
export function extractSequencePast(present: PastKeyValues, row: number, length: number, layout: PastLayout): SequencePast {
  const take = (batchTensors: Float32Array[]) =>
    batchTensors.map((tensor) => sliceRow(tensor, row, present.length, length, layout));
  return { length, keys: take(present.keys), values: take(present.values) };
}

function sliceRow(tensor: Float32Array, row: number, totalLength: number, length: number, layout: PastLayout): Float32Array {
  const { kvHeads, headDim } = layout;
  const out = new Float32Array(kvHeads * length * headDim);
  for (let h = 0; h < kvHeads; h++) {
    const from = ((row * kvHeads + h) * totalLength) * headDim;
    out.set(tensor.subarray(from, from + length * headDim), h * length * headDim);
  }
  return out;
}

/**
 * Stacks the rows' pasts into batch tensors [batch, kvHeads, pastLength, headDim], each row's own first
 * `lengths[r]` positions, zeros after (those positions are masked out by the attention mask).
 */
export function stackPasts(
  pasts: readonly SequencePast[],
  lengths: readonly number[],
  pastLength: number,
  layout: PastLayout,
): PastKeyValues {
  const stack = (pick: (p: SequencePast) => Float32Array[]) =>
    Array.from({ length: layout.blocks }, (_, block) => {
      const { kvHeads, headDim } = layout;
      const out = new Float32Array(pasts.length * kvHeads * pastLength * headDim);
      pasts.forEach((past, r) => {
        const source = pick(past)[block];
        for (let h = 0; h < kvHeads; h++) {
          const from = h * past.length * headDim;
          const to = (r * kvHeads + h) * pastLength * headDim;
          out.set(source.subarray(from, from + lengths[r] * headDim), to);
        }
      });
      return out;
    });
  return { batchSize: pasts.length, length: pastLength, keys: stack((p) => p.keys), values: stack((p) => p.values) };
}
