import { describe, expect, it } from 'vitest';
import { estimateOptionSpecs, recordedSettings } from '../../src/config/options/estimateRun.js';
import { resolveOptions } from '../../src/config/resolve.js';
import { identityDifferences, runIdentity } from '../../src/shard/runIdentity.js';

const identityOf = (flags: Record<string, unknown>) => runIdentity({
  iw: '0.1.0', modelSha256: 'a'.repeat(64), stimuliSha256: 'b'.repeat(64), settings: recordedSettings(resolveOptions(estimateOptionSpecs, flags)),
});

describe('a run\'s identity', () => {
  it('holds --device (cpu by default): a checkpoint or shard of one device is not of a run on the other', () => {
    const cpu = identityOf({});
    expect(cpu.settings.device).toBe('cpu');
    expect(identityDifferences(cpu, identityOf({ device: 'cpu' }))).toEqual([]);
    expect(identityDifferences(cpu, identityOf({ device: 'cuda' }), 'in the checkpoint', 'now')).toEqual(['--device ("cpu" in the checkpoint, "cuda" now)']);
  });

  it('leaves out what does not change numbers: threads, cache, where output goes', () => {
    expect(identityDifferences(identityOf({}), identityOf({ threads: 3, cacheDir: '/elsewhere', out: 'x', force: true }))).toEqual([]);
  });

  it('--device takes cpu or cuda only', () => {
    expect(() => resolveOptions(estimateOptionSpecs, { device: 'gpu' })).toThrow(/^--device must be cpu or cuda \(got "gpu"\)$/);
  });
});
