/**
 * The stages of an `iw estimate` run whose wall time a report records (provenance.stageSeconds), so that the next
 * bottleneck is visible (docs/performance.md); src/pipeline/stageTimer.ts times them:
 * - openModel: loading the model (graph edit, session) and its facts (sha256 of the weights);
 * - stimuli: making or reading the stimuli and checking them;
 * - forward: the engine's forward passes and its own work around them, checkpoint writes between batches included
 *   (everything in the engine but differences);
 * - differences: accumulating the differences, timed where the engine hands activations to the accumulator;
 * - fits: windows, unit and population fits, the model comparison, structure yoking;
 * - bootstrap: the bootstrap replicates (windows and yoking);
 * - report: assembling and validating the report, and writing its files.
 */
export const STAGES = ['openModel', 'stimuli', 'forward', 'differences', 'fits', 'bootstrap', 'report'] as const;

export type StageName = (typeof STAGES)[number];

/** Seconds of every stage (0 for a stage the run did not have). */
export type StageSeconds = Record<StageName, number>;
