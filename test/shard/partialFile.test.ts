import { appendFileSync, mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PartialWriter, readPartial, type PartialHeader, type StoredSwap } from '../../src/shard/partialFile.js';

const header: PartialHeader = {
  format: 'iw-partial/1',
  identity: { iw: '0.1.0', modelSha256: 'a'.repeat(64), stimuliSha256: 'b'.repeat(64), settings: { seed: 1, maxLag: 2 } },
  shard: { index: 1, count: 2, sequences: [0, 2] },
  sequenceCount: 4, wordCount: 3, maxLag: 2, swaps: 3,
  accumulators: [{ name: 'lagBand', layers: [0], width: 2, valuesPerSwap: 'test' }],
  run: {}, startedAt: new Date(0).toISOString(),
};
const swaps: StoredSwap[] = [
  { sequence: 0, swapPosition: 0, values: [Float32Array.of(1, 2, 3, 4, 5, 6)] },
  { sequence: 1, swapPosition: 2, values: [Float32Array.of(0.5, -0)] },
  { sequence: 1, swapPosition: 1, values: [Float32Array.of(Math.PI, 1e-30, 7, 8)] },
];

function written(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'iw-partial-')), 'part.iwp');
  const writer = PartialWriter.create(path, header, '{"format":"iw-stimuli/1"}', false);
  writer.appendSwaps(swaps.slice(0, 2));
  writer.appendSwaps(swaps.slice(2));
  writer.appendEnd({ swaps: 3, sequences: 2, durationSeconds: 1, statistics: { forwardPasses: 5 } });
  writer.close();
  return path;
}

describe('iw-partial/1 files', () => {
  it('give back the header, the stimuli and every stored float bit for bit, then the end record', () => {
    const path = written();
    const read: StoredSwap[] = [];
    const contents = readPartial(path, (swap) => read.push(swap));
    expect(contents.header).toEqual(header);
    expect(contents.stimuliText).toBe('{"format":"iw-stimuli/1"}');
    expect(contents.damage).toBeNull();
    expect(contents.end).toMatchObject({ swaps: 3, statistics: { forwardPasses: 5 } });
    expect(read.map((swap) => [swap.sequence, swap.swapPosition, Array.from(swap.values[0])]))
      .toEqual(swaps.map((swap) => [swap.sequence, swap.swapPosition, Array.from(swap.values[0])]));
    // the layout: magic, then u32 header length
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 8).toString('ascii')).toBe('IWPART1\n');
    expect(JSON.parse(bytes.subarray(12, 12 + bytes.readUInt32LE(8)).toString('utf8')).format).toBe('iw-partial/1');
  });

  it('ends the readable part at a record cut short or corrupt (a killed writer), and reopens there to append', () => {
    const path = written();
    const full = statSync(path).size;
    truncateSync(path, full - 10); // cut into the end record
    let contents = readPartial(path);
    expect(contents.end).toBeNull();
    expect(contents.swaps).toBe(3);
    expect(contents.damage).toMatch(/cut short/);
    // a flipped byte in the last swaps record: the CRC catches it, the first record stays
    const bytes = readFileSync(path);
    bytes[contents.validBytes - 6] ^= 0xff;
    writeFileSync(path, bytes);
    contents = readPartial(path);
    expect(contents.swaps).toBe(2);
    expect(contents.damage).toMatch(/fails its CRC/);
    const writer = PartialWriter.reopen(path, contents.validBytes, false);
    writer.appendSwaps(swaps.slice(2));
    writer.close();
    contents = readPartial(path);
    expect([contents.swaps, contents.damage]).toEqual([3, null]);
    appendFileSync(path, Buffer.from([1, 2, 3]));
    expect(readPartial(path).swaps).toBe(3);
  });

  it('refuses a file that is not a partial, naming it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'iw-partial-')), 'report.json');
    writeFileSync(path, '{"format":"iw-report/1"}');
    expect(() => readPartial(path)).toThrow(new RegExp(`${path} is not an iw-partial/1 file`));
  });
});
