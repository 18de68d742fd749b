import { z } from 'zod';

/**
 * The header of an iw-partial/1 file (docs/partial-format.md), as a zod schema: a part or checkpoint may come from
 * another machine or another person, so nothing is sized from its header before this has checked it, its ranges
 * against its own totals included (a shard's sequences inside the run's, no more swaps than words).
 */
export const PARTIAL_FORMAT = 'iw-partial/1';

/** A count a header may hold: a whole number a u32 table can index. */
const count = z.number().int().min(0).max(0xffff_ffff);
const positive = z.number().int().min(1).max(0xffff_ffff);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be a sha256 (64 hex digits)' });

const accumulatorSchema = z.object({
  name: z.string().min(1),
  layers: z.array(count).min(1),
  width: positive,
  /** How many float32 values one swap at word k holds, in words (e.g. "layers × (min(maxLag, N − 1 − k) + 1) × width"). */
  valuesPerSwap: z.string(),
});

const shardSchema = z.object({ index: positive, count: positive, sequences: z.tuple([count, count]) })
  .refine((shard) => shard.index <= shard.count, { error: 'shard index must be from 1 to its count' })
  .refine((shard) => shard.sequences[0] <= shard.sequences[1], { error: 'shard sequences must be [from, to] with from ≤ to' });

export const partialHeaderSchema = z.looseObject({
  format: z.literal(PARTIAL_FORMAT),
  /** What makes two partials parts of one run: equal identities (see runIdentity.ts). */
  identity: z.looseObject({ iw: z.string(), modelSha256: sha256, stimuliSha256: sha256, settings: z.record(z.string(), z.unknown()) }),
  /** Shard K of N and its share, or null for a whole run's checkpoint. */
  shard: shardSchema.nullable(),
  sequenceCount: count,
  wordCount: positive,
  maxLag: count,
  /** Swaps the part must hold when complete (its sequences' non-null swaps). */
  swaps: count,
  accumulators: z.array(accumulatorSchema).min(1),
  /** What the report needs besides the differences (model facts, resolved settings, …), as the pipeline wrote it. */
  run: z.record(z.string(), z.unknown()),
  startedAt: z.string(),
}).superRefine((header, context) => {
  if (header.shard && header.shard.sequences[1] > header.sequenceCount) {
    context.addIssue({ code: 'custom', path: ['shard', 'sequences'], message: `ends at sequence ${header.shard.sequences[1]}, past the run's ${header.sequenceCount}` });
  }
  if (header.swaps > header.sequenceCount * header.wordCount) {
    context.addIssue({ code: 'custom', path: ['swaps'], message: `${header.swaps} swaps, more than the run's ${header.sequenceCount} sequences × ${header.wordCount} words` });
  }
});

export type PartialHeader = z.infer<typeof partialHeaderSchema>;
export type AccumulatorDescription = z.infer<typeof accumulatorSchema>;

/** The end record's JSON: the part is complete. */
export const partialEndSchema = z.looseObject({
  swaps: count,
  sequences: count,
  durationSeconds: z.number().min(0),
  statistics: z.record(z.string(), z.unknown()),
});

export type PartialEnd = z.infer<typeof partialEndSchema>;

/** The first problem zod found, as a phrase: `shard.sequences: ends at sequence 1e15, past the run's 24`. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}` : 'it is not valid';
}
