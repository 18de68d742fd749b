import type { PastKeyValues, PastLayout } from '../model/index.js';

/** One original sequence's keys and values for every block: per block [kvHeads, tokens, headDim]. */
export interface SequencePast {
  length: number;
  keys: Float32Array[];
  values: Float32Array[];
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
 * Stacks rows' pasts into batch tensors [batch, kvHeads, pastLength, headDim]: each row gets its own sequence's
 * first `lengths[r]` positions. The buffers are kept and reused from batch to batch (a fast run stacks hundreds
 * of megabytes of keys and values; fresh arrays cost allocation, zero-filling and garbage collection). Positions
 * after a row's length are left as they are: the attention mask excludes them, so their attention weights are
 * exactly zero, and they hold finite values from earlier batches or zeros.
 */
export class PastStacker {
  private keyBuffers: Float32Array[] = [];
  private valueBuffers: Float32Array[] = [];

  constructor(private readonly layout: PastLayout) {}

  /** Floats per block a stack of `rows` rows on a past of `pastLength` positions takes. */
  stackSize(rows: number, pastLength: number): number {
    return rows * this.layout.kvHeads * pastLength * this.layout.headDim;
  }

  /**
   * Makes room for stacks of up to `size` floats per block at once (the largest batch to come, from the batch
   * plan). Grown batch by batch, the buffers were reallocated about eight times in a 150-word run, and every new
   * buffer's pages are faulted in afresh: 2.7 times the largest stack's memory, which cost more than the copying.
   */
  reserve(size: number): void {
    this.keyBuffers = grown(this.keyBuffers, this.layout.blocks, size);
    this.valueBuffers = grown(this.valueBuffers, this.layout.blocks, size);
  }

  stack(pasts: readonly SequencePast[], lengths: readonly number[], pastLength: number): PastKeyValues {
    const { blocks, kvHeads, headDim } = this.layout;
    const size = this.stackSize(pasts.length, pastLength);
    this.keyBuffers = grown(this.keyBuffers, blocks, size, 1.25);
    this.valueBuffers = grown(this.valueBuffers, blocks, size, 1.25);
    const fill = (buffers: Float32Array[], pick: (p: SequencePast) => Float32Array[]) =>
      buffers.map((buffer, block) => {
        const out = buffer.subarray(0, size);
        pasts.forEach((past, r) => {
          const source = pick(past)[block];
          for (let h = 0; h < kvHeads; h++) {
            const from = h * past.length * headDim;
            out.set(source.subarray(from, from + lengths[r] * headDim), (r * kvHeads + h) * pastLength * headDim);
          }
        });
        return out;
      });
    return { batchSize: pasts.length, length: pastLength, keys: fill(this.keyBuffers, (p) => p.keys), values: fill(this.valueBuffers, (p) => p.values) };
  }
}

/** The buffers, replaced by larger ones (`headroom` times `size`) when `size` does not fit. */
function grown(buffers: Float32Array[], blocks: number, size: number, headroom = 1): Float32Array[] {
  if (buffers.length === blocks && buffers[0].length >= size) return buffers;
  return Array.from({ length: blocks }, () => new Float32Array(Math.ceil(size * headroom)));
}
