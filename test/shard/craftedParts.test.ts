import { crc32 } from 'node:zlib';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../helpers/shared.js';
import { iw } from '../helpers/runIw.js';

/**
 * .iwp parts made by someone else (issue 27): each crafted from a real part, CRCs mended so that only the claim
 * itself is wrong. `iw merge` must refuse each with exit 2 and one line, within a second, without allocating
 * what the claim asks for or looping over its range.
 */
const work = mkdtempSync(join(tmpdir(), 'iw-crafted-'));
const realPart = join(work, 'real', 'iw-partial-1-of-1.iwp');
const run = ['--model', fixturePath('models', 'stories260K'), '--sequences', '4', '--words', '12', '--max-lag', '4', '--bootstrap', '0', '--quiet', '--no-plots'];

/** A part's bytes cut into its sections (docs/partial-format.md). */
function sections(bytes: Buffer) {
  const headerLength = bytes.readUInt32LE(8);
  const header = JSON.parse(bytes.subarray(12, 12 + headerLength).toString('utf8')) as CraftedHeader;
  const stimuliAt = 12 + headerLength;
  const recordsAt = stimuliAt + 4 + bytes.readUInt32LE(stimuliAt);
  return { header, stimuli: bytes.subarray(stimuliAt, recordsAt), records: bytes.subarray(recordsAt) };
}

/** The parts of a header the crafted files change. */
interface CraftedHeader {
  shard: { sequences: number[] };
  sequenceCount: number;
  accumulators: { width: number }[];
  run: { settings: Record<string, unknown> };
}

function withHeader(bytes: Buffer, change: (header: CraftedHeader) => void): Buffer {
  const { header, stimuli, records } = sections(bytes);
  change(header);
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  return Buffer.concat([bytes.subarray(0, 8), length, json, stimuli, records]);
}

/** The first record with `change` applied to its payload, its CRC mended. */
function withFirstRecord(bytes: Buffer, change: (record: Buffer) => void): Buffer {
  const { records } = sections(bytes);
  const start = bytes.length - records.length;
  const crafted = Buffer.from(bytes);
  change(crafted.subarray(start));
  const length = crafted.readUInt32LE(start + 8);
  crafted.writeUInt32LE(crc32(crafted.subarray(start + 12, start + 12 + length)), start + 12 + length);
  return crafted;
}

async function mergeOf(name: string, bytes: Buffer) {
  const folder = join(work, name);
  mkdirSync(folder);
  writeFileSync(join(folder, 'iw-partial-1-of-1.iwp'), bytes);
  const startedAt = performance.now();
  const result = await iw('merge', folder, '--quiet', '--no-plots', '--out', join(work, `${name}-out`));
  return { ...result, seconds: (performance.now() - startedAt) / 1000 };
}

describe('crafted .iwp parts', () => {
  beforeAll(async () => {
    expect((await iw('estimate', ...run, '--shard', '1/1', '--out', join(work, 'real'))).code).toBe(0);
    // the real part merges (and the merge's code is loaded before the timed merges below)
    expect((await iw('merge', join(work, 'real'), '--quiet', '--no-plots', '--out', join(work, 'real-out'))).code).toBe(0);
  }, 120_000);

  it('a header whose shard claims sequences [0, 1e15]', async () => {
    const merged = await mergeOf('range', withHeader(readFileSync(realPart), (header) => { header.shard.sequences = [0, 1e15]; }));
    expect(merged.code).toBe(2);
    expect(merged.stderr).toMatch(/^iw: .*range\/iw-partial-1-of-1\.iwp is not an iw-partial\/1 file \(its header: shard\.sequences.*\n$/);
    expect(merged.seconds).toBeLessThan(1);
    const pastTotal = await mergeOf('past-total', withHeader(readFileSync(realPart), (header) => { header.shard.sequences = [0, 1_000_000]; }));
    expect(pastTotal.stderr).toMatch(/its header: shard\.sequences: ends at sequence 1000000, past the run's 4\)/);
    const morePerSequence = await mergeOf('more-sequences', withHeader(readFileSync(realPart), (header) => { header.sequenceCount = 1e9; header.shard.sequences = [0, 1e9]; }));
    expect(morePerSequence.stderr).toMatch(/claims 1000000000 sequences of 12 words, more than its \d+ bytes of stimuli hold/);
  });

  it('a swap claiming 2^26 floats', async () => {
    const merged = await mergeOf('floats', withFirstRecord(readFileSync(realPart), (record) => record.writeUInt32LE(2 ** 26, 12 + 8)));
    expect(merged.code).toBe(2);
    expect(merged.stderr).toMatch(/^iw: .*floats\/iw-partial-1-of-1\.iwp is not an iw-partial\/1 file \(the record at byte \d+: swap 1 claims 67108864 values for lagBand, more than its band holds \(\d+\)\).*\n$/);
    expect(merged.seconds).toBeLessThan(1);
  });

  it('a record whose count is larger than its payload', async () => {
    const merged = await mergeOf('count', withFirstRecord(readFileSync(realPart), (record) => record.writeUInt32LE(0x7fff_ffff, 4)));
    expect(merged.code).toBe(2);
    expect(merged.stderr).toMatch(/^iw: .*count\/iw-partial-1-of-1\.iwp is not an iw-partial\/1 file \(the record at byte \d+: it claims 2147483647 swaps, more than its \d+ bytes hold\).*\n$/);
    expect(merged.seconds).toBeLessThan(1);
  });

  it('a header whose layers × width the file cannot back, and settings the option schemas refuse', async () => {
    const wide = await mergeOf('wide', withHeader(readFileSync(realPart), (header) => { header.accumulators[0].width = 2 ** 31; }));
    expect(wide.code).toBe(2);
    expect(wide.stderr).toMatch(/need more floats than the parts' \d+ bytes hold/);
    const threads = await mergeOf('settings', withHeader(readFileSync(realPart), (header) => { header.run.settings.bootstrap = -5; }));
    expect(threads.code).toBe(2);
    expect(threads.stderr).toMatch(/^iw: "bootstrap" in run\.settings in the header of .*settings\/iw-partial-1-of-1\.iwp must .*\n$/);
  });

  it('takes the merging machine\'s --threads and --cache-dir, never a part\'s (which would size its worker pool)', async () => {
    const machine = await mergeOf('machine', withHeader(readFileSync(realPart), (header) => { header.run.settings.threads = 1e9; header.run.settings.cacheDir = '/somewhere/else'; }));
    expect(machine.code, machine.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(work, 'machine-out', 'report.json'), 'utf8'));
    expect(report.settings.threads).toBeUndefined();
    expect(report.settings.cacheDir).toBeUndefined();
  });
});
