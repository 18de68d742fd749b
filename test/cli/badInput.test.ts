import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeRandomizedModel } from '../../src/model/randomize/index.js';
import { resolveModel } from '../../src/model/index.js';
import { cleanUpForExit } from '../../src/util/cleanup.js';
import { createRandom } from '../../src/util/random.js';
import { runIw } from '../helpers/runIw.js';
import { repoRoot } from '../helpers/shared.js';
import { removeDir, tempDir, tinyGpt2 } from '../model/modelTestKit.js';

/**
 * Bad input never crashes, and no run is lost to a late error (issue 10): every refusal is one line on stderr
 * naming the culprit, exit 2, no stack trace, and a refusal before any work leaves nothing where --out points.
 */
const folder = tempDir('bad-input');
afterAll(() => removeDir(folder));

/** Exit 2, one line naming each culprit, no stack trace. */
function expectRefusal(result: { code: number; stderr: string }, ...culprits: string[]): void {
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/^iw: [^\n]+\n$/);
  expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  for (const culprit of culprits) expect(result.stderr).toContain(culprit);
}

/** A copy of the shipped tiny GPT-2 whose onnx/model.onnx is replaced by `bytes`. */
function modelWithOnnx(name: string, bytes: Uint8Array): string {
  const model = join(folder, name);
  cpSync(tinyGpt2, model, { recursive: true });
  writeFileSync(join(model, 'onnx', 'model.onnx'), bytes);
  return model;
}

describe('a corrupt or truncated onnx/model.onnx', () => {
  const random = createRandom(3);
  const original = readFileSync(join(tinyGpt2, 'onnx', 'model.onnx'));
  const damaged = {
    'random bytes': modelWithOnnx('random', Uint8Array.from({ length: 400_000 }, () => Math.floor(random() * 256))),
    'a file cut at 300 kB': modelWithOnnx('cut', original.subarray(0, 300_000)),
  };
  for (const [what, model] of Object.entries(damaged)) {
    const onnx = join(model, 'onnx', 'model.onnx');
    it(`(${what}) is one line naming the file in estimate, layers and activations`, async () => {
      const out = join(folder, `out-${what.length}`);
      const runs = [
        ['estimate', '--model', model, '--out', out, '--quiet'],
        ['estimate', '--model', model, '--untrained', '--out', out, '--quiet', '--cache-dir', join(folder, 'cache')],
        ['layers', '--model', model],
        ['activations', '--model', model, '--text', 'the old man', '--out', join(out, 'acts.json')],
      ];
      for (const argv of runs) {
        const result = await runIw(argv);
        expectRefusal(result, 'is not a readable ONNX model');
        expect(result.stderr).toContain(argv.includes('--untrained') ? 'onnx/model.onnx' : onnx);
      }
      expect(existsSync(out)).toBe(false);
    });
  }
});

describe('--out is checked before any model runs', () => {
  const aFile = join(folder, 'a-file.txt');
  writeFileSync(aFile, 'keep me\n');
  // A damaged model: had iw opened it first, the message would be about the model, not --out.
  const damagedModel = modelWithOnnx('damaged-for-out', new Uint8Array(1000).fill(7));

  it('estimate: --out naming a file, or a path below a file, is refused and leaves the file as it was', async () => {
    expectRefusal(await runIw(['estimate', '--model', damagedModel, '--out', aFile]), `--out ${aFile} is a file`);
    expectRefusal(await runIw(['estimate', '--model', damagedModel, '--out', join(aFile, 'sub', 'run')]), `${aFile} is a file`);
    expect(readFileSync(aFile, 'utf8')).toBe('keep me\n');
  });

  it('activations and stimuli: --out naming a folder, or a path below a file', async () => {
    expectRefusal(await runIw(['activations', '--model', damagedModel, '--text', 'a b', '--out', folder]), `--out ${folder} is a folder`);
    expectRefusal(await runIw(['activations', '--model', damagedModel, '--text', 'a b', '--out', join(aFile, 'acts.json')]), `${aFile} is a file`);
    expectRefusal(await runIw(['stimuli', '--model', damagedModel, '--out', join(aFile, 'stimuli.json')]), `${aFile} is a file`);
  });

  it('randomize, plot and compare: --out below a file', async () => {
    const sub = join(aFile, 'twin');
    expectRefusal(await runIw(['randomize', '--model', damagedModel, '--out', sub]), `${aFile} is a file`);
    expectRefusal(await runIw(['plot', join(folder, 'missing.json'), '--out', sub]), `${aFile} is a file`);
    expectRefusal(await runIw(['compare', join(folder, 'missing.json'), join(folder, 'missing.json'), '--out', sub]), `${aFile} is a file`);
    expect(readdirSync(folder).filter((name) => name.startsWith('.'))).toEqual([]);
  });
});

describe('messages about a flag name the flag, before the model runs', () => {
  it('--max-lag too long for --words, and --min-swap, name the flags and leave --out empty', async () => {
    const out = join(folder, 'lag');
    expectRefusal(await runIw(['estimate', '--words', '40', '--max-lag', '50', '--sequences', '4', '--out', out]), '--max-lag 50', '--min-swap 2', 'needs sequences of at least 53 words', '--words is 40', 'raise --words to 53');
    expectRefusal(await runIw(['estimate', '--words', '30', '--max-lag', '10', '--min-swap', '25', '--sequences', '4', '--out', out]), '--max-lag 10 with --min-swap 25', 'at least 36 words');
    expect(existsSync(out)).toBe(false);
  });

  it('yoking: a --max-lag shorter than --sentence-words − 2', async () => {
    const out = join(folder, 'yoking-lag');
    expectRefusal(await runIw(['yoking', '--sentence-words', '12', '--sentences', '3', '--max-lag', '5', '--min-swap', '0', '--sequences', '4', '--out', out]), '--sentence-words', '--max-lag');
    expect(existsSync(out)).toBe(false);
  });

  it('--bootstrap with one sequence', async () => {
    const out = join(folder, 'one-sequence');
    expectRefusal(await runIw(['estimate', '--sequences', '1', '--bootstrap', '10', '--out', out]), '--bootstrap needs at least 2 sequences', '--sequences');
    expect(existsSync(out)).toBe(false);
  });
});

describe('--sentences / --sentence-words without --yoking', () => {
  it('are refused, even at their default values, saying to add --yoking', async () => {
    const out = join(folder, 'no-yoking');
    expectRefusal(await runIw(['estimate', '--sentences', '5', '--out', out]), '--sentences', 'add --yoking');
    expectRefusal(await runIw(['estimate', '--sentence-words', '12', '--sentences', '5', '--out', out]), '--sentences and --sentence-words', 'add --yoking');
    expectRefusal(await runIw(['stimuli', '--sentence-words', '12', '--out', join(out, 'stimuli.json')]), '--sentence-words', 'add --yoking');
    const config = join(folder, 'yoking-config.json');
    writeFileSync(config, JSON.stringify({ sentenceWords: 12 }));
    expectRefusal(await runIw(['estimate', '--config', config, '--out', out]), `"sentenceWords" in ${config}`, 'add --yoking');
    expect(existsSync(out)).toBe(false);
  });

  it('are taken with --yoking, and by iw yoking (a plain run stays fine)', async () => {
    const out = join(folder, 'yoking-stimuli.json');
    const result = await runIw(['stimuli', '--yoking', '--model', tinyGpt2, '--sentences', '2', '--sentence-words', '3', '--sequences', '2', '--out', out, '--quiet']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(readFileSync(out, 'utf8')).sequences[0].sentenceStarts).toEqual([0, 3]);
  });
});

describe('stimuli-file errors count sequences from 1, as estimate\'s messages do', () => {
  it('names sequence 2 for the second sequence', async () => {
    const file = join(folder, 'bad-stimuli.json');
    writeFileSync(file, JSON.stringify({ format: 'iw-stimuli/1', sequences: [
      { words: ['a', 'b', 'c'], swaps: [null, 'x', null] },
      { words: ['a', 'b', 'c'], swaps: [null, 'b', null] },
    ] }));
    expectRefusal(await runIw(['estimate', '--stimuli', file, '--out', join(folder, 'bad-stimuli-run')]), file, 'sequence 2, the swap of word 2: is the word itself ("b")');
    expect(existsSync(join(folder, 'bad-stimuli-run'))).toBe(false);
  });
});

describe('an interrupted iw randomize', () => {
  it('leaves no temp folder: Ctrl-C\'s handler removes the twin being written', async () => {
    const parent = join(folder, 'interrupted');
    mkdirSync(parent);
    const out = join(parent, 'twin');
    const writing = writeRandomizedModel(await resolveModel({ model: tinyGpt2 }), { seed: 1, out, quiet: true });
    // The temp folder exists from the call's first, synchronous step until the twin is renamed into place.
    expect(readdirSync(parent)).toEqual([expect.stringMatching(/^\.twin\.iw-tmp-/)]);
    cleanUpForExit(); // what src/cli/interrupt.ts does on SIGINT, SIGTERM or SIGHUP before exiting
    expect(readdirSync(parent)).toEqual([]);
    // In the CLI the process exits right after (exit 128 + the signal); here the write goes on and is awaited before cleaning up.
    await writing.catch(() => undefined);
  });
});

describe('npm', () => {
  it('prints no warning about the project\'s config (onnxruntime-node\'s download is denied in package.json)', () => {
    const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    expect(packageJson.allowScripts['onnxruntime-node']).toBe(false);
    const npm = spawnSync('npm', ['prefix'], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    if (npm.error) return; // no npm on this machine: nothing to warn
    expect(npm.stderr).not.toMatch(/npm warn/i);
    expect(npm.stdout.trim()).toBe(repoRoot);
  });
});
