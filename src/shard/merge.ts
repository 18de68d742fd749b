import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineStatistics } from '../engine/index.js';
import { DifferenceAccumulator, READOUT_ACCUMULATOR, ReadoutAccumulator } from '../measure/index.js';
import { analyzeMeasured, type EstimateHooks, type EstimateRun, type MeasuredRun } from '../pipeline/estimate.js';
import type { EstimateOptions } from '../config/options/estimateRun.js';
import type { ModelFacts, ShardRecord } from '../pipeline/assembleReport.js';
import { chooseKeep, KEPT_BYTES_LIMIT } from '../pipeline/measureStimuli.js';
import { yokingDesignOf } from '../pipeline/prepareStimuli.js';
import { randomStream } from '../pipeline/randomStreams.js';
import { parseStimuliJson } from '../stimuli/index.js';
import { UserError } from '../util/errors.js';
import { entryOf, PARTIAL_EXTENSION, readPartial, readPartialHeader, type PartialContents } from './partialFile.js';
import { identityDifferences } from './runIdentity.js';
import { createHash } from 'node:crypto';


/** A part as given: the file, the header read from it, and (once checked) the shard it holds. */
interface Part {
  path: string;
  contents: PartialContents;
}
type ShardPart = Part & { shard: NonNullable<PartialContents['header']['shard']> };

/**
 * The partial files a PART names: the file itself, or the iw-partial-K-of-N.iwp files in a folder (a shard's --out).
 * A folder holding only a checkpoint is a shard that has not finished, and is refused so.
 */
export function partFiles(part: string): string[] {
  if (!existsSync(part)) throw new UserError(`${part}: no such file or folder (a PART is a .iwp file or the --out folder of iw estimate --shard)`);
  if (!statSync(part).isDirectory()) return [part];
  const names = readdirSync(part).sort();
  const partials = names.filter((name) => /^iw-partial-\d+-of-\d+\.iwp$/.test(name)).map((name) => join(part, name));
  if (partials.length > 0) return partials;
  const checkpoints = names.filter((name) => name.startsWith('iw-checkpoint') && name.endsWith(PARTIAL_EXTENSION));
  if (checkpoints.length > 0) {
    throw new UserError(`${part} holds only ${checkpoints.join(', ')}: that shard has not finished; rerun its iw estimate --shard command to finish it`);
  }
  throw new UserError(`${part} holds no partial result (iw-partial-K-of-N.iwp)`);
}

/**
 * Checks that the parts are one run's and cover its sequences exactly once (naming any part that is missing,
 * given twice, unfinished or from another run); returns them in shard order.
 */
export function checkParts(paths: string[]): ShardPart[] {
  if (paths.length === 0) throw new UserError('iw merge needs the parts to merge: iw merge PART... --out DIR');
  const read: Part[] = paths.map((path) => ({ path, contents: readPartialHeader(path) }));
  const problems: string[] = [];
  const parts: ShardPart[] = [];
  for (const part of read) {
    const { shard } = part.contents.header;
    if (shard) parts.push({ ...part, shard });
    else problems.push(`${part.path} is the checkpoint of a whole run, not a shard's partial result`);
  }
  if (problems.length > 0) throw new UserError(problems.join('; '));
  const [first] = parts;
  for (const part of parts.slice(1)) {
    const differences = identityDifferences(first.contents.header.identity, part.contents.header.identity, `in ${first.path}`, `in ${part.path}`);
    if (differences.length > 0) problems.push(`${part.path} is from another run than ${first.path}: ${differences.join('; ')}`);
  }
  if (problems.length > 0) throw new UserError(problems.join('; '));
  const { count } = first.shard;
  for (const part of parts.slice(1)) {
    const { shard } = part;
    if (shard.count !== count) problems.push(`${part.path} is shard ${shard.index}/${shard.count}, but ${first.path} is of ${count} shards`);
  }
  if (problems.length > 0) throw new UserError(problems.join('; '));
  const byIndex = new Map<number, ShardPart[]>();
  for (const part of parts) byIndex.set(part.shard.index, [...(byIndex.get(part.shard.index) ?? []), part]);
  for (const [index, same] of [...byIndex].sort(([a], [b]) => a - b)) {
    if (same.length > 1) problems.push(`shard ${index}/${count} is given twice: ${same.map((part) => part.path).join(' and ')}`);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !byIndex.has(index));
  if (missing.length > 0) problems.push(`missing ${missing.length === 1 ? 'shard' : 'shards'} ${missing.map((index) => `${index}/${count}`).join(', ')} (run iw estimate --shard ${missing[0]}/${count} with the same options)`);
  if (problems.length > 0) throw new UserError(problems.join('; '));
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, same]) => same[0]);
}

/**
 * `iw merge`: reads the parts of a sharded run into one accumulator and runs the analysis, giving the report one
 * machine would have written (the accumulator sums in sequence order, so the numbers are the same to the bit).
 */
export async function mergeParts(partArguments: string[], presentation: Partial<Pick<EstimateOptions, 'out' | 'plots' | 'json' | 'quiet'>> = {}, hooks: EstimateHooks = {}): Promise<EstimateRun> {
  const startedAt = new Date();
  const parts = checkParts(partArguments.flatMap(partFiles));
  const header = parts[0].contents.header;
  const run = header.run as { modelName: string; model: ModelFacts; settings: Record<string, unknown>; layers: number[]; width: number };
  const options = { ...run.settings, plots: true, json: false, quiet: false, ...presentation, checkpoint: false, restart: false } as unknown as EstimateOptions;
  const stimuli = parseStimuliJson(parts[0].contents.stimuliText, parts[0].path);
  if (createHash('sha256').update(parts[0].contents.stimuliText).digest('hex') !== header.identity.stimuliSha256) {
    throw new UserError(`${parts[0].path}: its stimuli do not match their sha256 (a damaged file)`);
  }
  const shape = { layers: run.layers, width: run.width, wordCount: header.wordCount, maxLag: header.maxLag, sequenceCount: header.sequenceCount };
  const differences = new DifferenceAccumulator({ ...shape, keep: chooseKeep(shape, { keptBytesLimit: KEPT_BYTES_LIMIT, random: randomStream(options.seed, 'sequenceGroups') }) });
  const readout = readoutOf(header, differences, options.seed);
  const statistics: EngineStatistics = { engine: options.engine, forwardPasses: 0, batches: 0, forwardPassesRun: 0, batchesRun: 0, tokensComputed: 0, tokensWithPadding: 0, seconds: 0 };
  const shards: ShardRecord[] = [];
  for (const part of parts) {
    const { shard } = part;
    const [from, to] = shard.sequences;
    const contents = readPartial(part.path, (swap) => {
      if (swap.sequence < from || swap.sequence >= to) throw new UserError(`${part.path}: holds sequence ${swap.sequence + 1}, outside its shard's sequences ${from + 1}–${to} (a damaged file)`);
      differences.addEntry(entryOf(swap, 0));
      readout?.accumulator.addEntry(entryOf(swap, readout.index));
    });
    if (contents.damage) throw new UserError(`${part.path} is damaged: ${contents.damage}; rerun shard ${shard.index}/${shard.count}`);
    if (!contents.end) throw new UserError(`${part.path} is unfinished (shard ${shard.index}/${shard.count} stopped before its end); rerun that shard to finish it`);
    if (contents.swaps !== part.contents.header.swaps) {
      throw new UserError(`${part.path} holds ${contents.swaps} swaps but shard ${shard.index}/${shard.count} has ${part.contents.header.swaps} (a damaged file); rerun that shard`);
    }
    const shardStatistics = contents.end.statistics as unknown as EngineStatistics;
    statistics.engine = shardStatistics.engine;
    for (const key of ['forwardPasses', 'batches', 'tokensComputed', 'tokensWithPadding', 'seconds'] as const) statistics[key] += shardStatistics[key];
    statistics.forwardPassesRun += shardStatistics.forwardPassesRun;
    statistics.batchesRun += shardStatistics.batchesRun;
    shards.push({
      shard: `${shard.index}/${shard.count}`, sequences: [from, to], startedAt: part.contents.header.startedAt,
      durationSeconds: contents.end.durationSeconds, forwardPasses: shardStatistics.forwardPasses,
    });
    // Parts come in shard order, which is sequence order: their sequences fold into the sums part by part (and,
    // where only groups are kept, their bands are let go before the next part is read).
    for (let s = from; s < to; s++) {
      differences.onSequenceDone(s);
      readout?.accumulator.onSequenceDone(s);
    }
  }
  const keep = differences.partKind === 'groups' ? { groups: differences.partCount } : differences.partKind;
  const measured: MeasuredRun = {
    modelName: run.modelName, model: run.model, stimuli, stimuliSha256: header.identity.stimuliSha256,
    design: options.yoking ? yokingDesignOf(stimuli, parts[0].path) : undefined,
    measurement: { differences, statistics, keep, ...(readout ? { readout: readout.accumulator } : {}) }, startedAt, shards,
  };
  return { ...(await analyzeMeasured(options, measured, hooks)), discardCheckpoint: () => undefined };
}

/**
 * The output read-out's accumulator of a run measured with --readout output (its parts' second stored accumulator),
 * kept apart by sequence or by the same seeded groups as the layers' differences; undefined for other runs.
 */
function readoutOf(header: PartialContents['header'], differences: DifferenceAccumulator, seed: number): { accumulator: ReadoutAccumulator; index: number } | undefined {
  const index = header.accumulators.findIndex((stored) => stored.name === READOUT_ACCUMULATOR);
  if (index < 0) return undefined;
  const { wordCount, maxLag, sequenceCount } = differences;
  const keep = differences.partKind === 'groups' ? { groups: differences.partCount, random: randomStream(seed, 'sequenceGroups') } : differences.partKind;
  return { accumulator: new ReadoutAccumulator({ wordCount, maxLag, sequenceCount, keep }), index };
}
