import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { estimateOptionSpecs, resolveOptions, type EstimateOptions } from '../config/index.js';
import type { EngineStatistics } from '../engine/index.js';
import { bandLength, DifferenceAccumulator, READOUT_ACCUMULATOR, ReadoutAccumulator } from '../measure/index.js';
import { entryOf, identityDifferences, PARTIAL_EXTENSION, readPartial, readPartialHeader, type PartialContents } from '../shard/index.js';
import { parseStimuliJson, sha256OfStimuliText } from '../stimuli/index.js';
import { UserError } from '../util/index.js';
import type { ModelFacts, ShardRecord } from './assembleReport.js';
import { analyzeMeasured, type EstimateHooks, type EstimateRun, type MeasuredRun } from './estimate.js';
import { chooseKeep, KEPT_BYTES_LIMIT } from './measureStimuli.js';
import { yokingDesignOf } from './prepareStimuli.js';
import { randomStream } from './randomStreams.js';


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
 * Settings a part records that belong to the machine that measured it, not to the run: a merge uses its own
 * (merge's --threads and --cache-dir, or their defaults).
 */
const MACHINE_SETTINGS = new Set(['threads', 'cacheDir']);

/**
 * The options of a merge, resolved as iw estimate's are: merge's own flags (--out, --threads, --cache-dir, …) over
 * the run's settings from the first part's header (a config layer, checked by the same option schemas as the
 * command line), over the defaults.
 */
function mergeOptions(flags: Record<string, unknown>, part: { path: string; contents: PartialContents }): EstimateOptions {
  const settings = part.contents.header.run.settings;
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) throw new UserError(`${part.path}: its header's run.settings is not an object of options (a damaged file)`);
  const recorded = Object.fromEntries(Object.entries(settings).filter(([name]) => !MACHINE_SETTINGS.has(name)));
  return resolveOptions(estimateOptionSpecs, { ...flags, checkpoint: false, restart: false }, { values: recorded, source: `run.settings in the header of ${part.path}` });
}

/**
 * `iw merge`: reads the parts of a sharded run into one accumulator and runs the analysis, giving the report one
 * machine would have written (the accumulator sums in sequence order, so the numbers are the same to the bit).
 * `flags` are the options typed for the merge (--out, --threads, --cache-dir, --plots, --json, --quiet).
 */
export async function mergeParts(partArguments: string[], flags: Record<string, unknown> = {}, hooks: EstimateHooks = {}): Promise<EstimateRun> {
  const startedAt = new Date();
  const parts = checkParts(partArguments.flatMap(partFiles));
  const header = parts[0].contents.header;
  const run = header.run as { modelName: string; model: ModelFacts };
  const options = mergeOptions(flags, parts[0]);
  const stimuli = parseStimuliJson(parts[0].contents.stimuliText, parts[0].path);
  if (sha256OfStimuliText(parts[0].contents.stimuliText) !== header.identity.stimuliSha256) {
    throw new UserError(`${parts[0].path}: its stimuli do not match their sha256 (a damaged file)`);
  }
  if (stimuli.sequences.length !== header.sequenceCount || stimuli.sequences[0]?.words.length !== header.wordCount) {
    throw new UserError(`${parts[0].path}: its header's ${header.sequenceCount} sequences of ${header.wordCount} words are not its stimuli's (a damaged file)`);
  }
  const [{ layers, width }] = header.accumulators;
  const shape = { layers, width, wordCount: header.wordCount, maxLag: header.maxLag, sequenceCount: header.sequenceCount };
  refuseUnbackedShape(shape, parts);
  const differences = new DifferenceAccumulator({ ...shape, keep: chooseKeep(shape, { keptBytesLimit: KEPT_BYTES_LIMIT, random: randomStream(options.seed, 'sequenceGroups') }) });
  const readout = readoutOf(header, differences, options.seed);
  const statistics: EngineStatistics = { engine: options.engine, forwardPasses: 0, batches: 0, forwardPassesRun: 0, batchesRun: 0, tokensComputed: 0, tokensWithPadding: 0, seconds: 0 };
  const shards: ShardRecord[] = [];
  for (const part of parts) {
    const { shard } = part;
    const [from, to] = shard.sequences;
    const contents = readPartial(part.path, (swap) => {
      const rows = bandLength(header.wordCount, header.maxLag, swap.swapPosition);
      if (swap.values[0].length !== layers.length * rows * width) {
        throw new UserError(`${part.path}: the swap at sequence ${swap.sequence + 1}, word ${swap.swapPosition + 1} holds ${swap.values[0].length} values, not its band's (a damaged file)`);
      }
      if (swap.sequence < from || swap.sequence >= to) throw new UserError(`${part.path}: holds sequence ${swap.sequence + 1}, outside its shard's sequences ${from + 1}–${to} (a damaged file)`);
      differences.addEntry(entryOf(swap, 0));
      if (readout) {
        if (swap.values[readout.index].length !== readout.accumulator.layers.length * rows) {
          throw new UserError(`${part.path}: the swap at sequence ${swap.sequence + 1}, word ${swap.swapPosition + 1} holds no read-out of its band's length (a damaged file)`);
        }
        readout.accumulator.addEntry(entryOf(swap, readout.index));
      }
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

/**
 * Refuses parts whose header claims layers × width × lags larger than the bytes they hold could fill: the merge's
 * sums are sized from the header, and a crafted header must not make iw allocate more than the files justify
 * (a real run's parts hold at least that many floats: every swap stores a band of that width).
 */
function refuseUnbackedShape(shape: { layers: number[]; width: number; maxLag: number }, parts: ShardPart[]): void {
  const floats = shape.layers.length * shape.width * (shape.maxLag + 1);
  const bytes = parts.reduce((sum, part) => sum + statSync(part.path).size, 0);
  if (4 * floats > bytes) {
    throw new UserError(`${parts[0].path}: its header's ${shape.layers.length} layers × ${shape.width} units × ${shape.maxLag + 1} lags need more floats than the parts' ${bytes} bytes hold (a damaged or crafted file)`);
  }
}
