import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../bench/benchOptions.js';
import { UserError } from '../../src/util/errors.js';

const defaults = { model: '/models/m', corpus: '/corpora/c' };

describe('bench options', () => {
  it('defaults to the full plan on the given model and corpus', () => {
    expect(parseBenchArgs([], defaults)).toEqual({
      quick: false, json: undefined, model: '/models/m', corpus: '/corpora/c', seed: 1, parts: 2, caseSpec: undefined,
      gpt2Shape: undefined, wholeRunsOnly: false, skipPytorch: false, readoutRunsOnly: false, wholeRunSpec: undefined,
    });
  });

  it('takes the GPT-2-shape folder from --gpt2-shape before the default (the environment\'s)', () => {
    expect(parseBenchArgs([], { ...defaults, gpt2Shape: '/env/shape' }).gpt2Shape).toBe('/env/shape');
    expect(parseBenchArgs(['--gpt2-shape', '/flag/shape'], { ...defaults, gpt2Shape: '/env/shape' }).gpt2Shape).toBe('/flag/shape');
    expect(parseBenchArgs(['--whole-runs-only', '--skip-pytorch'], defaults)).toMatchObject({ wholeRunsOnly: true, skipPytorch: true });
    expect(parseBenchArgs(['--readout-runs-only'], defaults)).toMatchObject({ readoutRunsOnly: true, wholeRunsOnly: false });
  });

  it('reads every flag', () => {
    const options = parseBenchArgs(['--quick', '--json', 'out.json', '--model', 'other', '--corpus', 'text.txt', '--seed', '7', '--parts', '4'], defaults);
    expect(options).toMatchObject({ quick: true, json: 'out.json', model: 'other', corpus: 'text.txt', seed: 7, parts: 4 });
  });

  it('refuses bad values and unknown flags as user errors naming the flag', () => {
    expect(() => parseBenchArgs(['--parts', '0'], defaults)).toThrow(UserError);
    expect(() => parseBenchArgs(['--parts', '0'], defaults)).toThrow('--parts must be a whole number from 1 to 20 (got "0")');
    expect(() => parseBenchArgs(['--seed', 'x'], defaults)).toThrow('--seed must be a whole number');
    expect(() => parseBenchArgs(['--fast'], defaults)).toThrow(UserError);
  });
});
