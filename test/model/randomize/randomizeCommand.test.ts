import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerRandomize } from '../../../src/cli/randomize.js';
import type { CliIO } from '../../../src/cli/io.js';
import { UserError } from '../../../src/util/errors.js';
import { decodeModel, int64 } from '../../../src/model/onnx/onnxProto.js';
import { removeDir, tempDir, tinyGpt2 } from '../modelTestKit.js';
import { decodedValues } from './tensorStats.js';

/**
 * `iw randomize`, run in-process on a program holding only this command, so that a UserError surfaces as the
 * thrown error itself (runCli would turn it into exit code 2 and a line on stderr).
 */
async function run(args: string[]): Promise<string> {
  let stderr = '';
  const io: CliIO = { stdout: () => undefined, stderr: (text) => { stderr += text; }, stderrIsTTY: false };
  const program = new Command('iw').exitOverride();
  registerRandomize(program, io, () => undefined);
  await program.parseAsync(['randomize', ...args], { from: 'user' });
  return stderr;
}

describe('iw randomize', () => {
  const parent = tempDir('randomize-cli');
  afterAll(() => removeDir(parent));

  it('writes the twin and says what it did', async () => {
    const out = join(parent, 'twin');
    const said = await run(['--model', tinyGpt2, '--out', out, '--seed', '5']);
    // Every initializer of the fixture is a parameter: its element counts add up to the weights re-drawn.
    const weights = decodeModel(readFileSync(join(tinyGpt2, 'onnx', 'model.onnx'))).graph.initializer
      .reduce((n, t) => n + t.dims.reduce<number>((m, d) => m * int64(d), 1), 0);
    expect(said).toContain(`onnx/model.onnx: 29 tensors re-drawn (${weights.toLocaleString('en-US')} weights), 0 constants kept`);
    expect(said).toMatch(/wrote the untrained twin of .* \(seed 5\) to /);
    const note = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).iw_untrained;
    expect(note.seed).toBe(5);
    const values = decodedValues(readFileSync(join(out, 'onnx', 'model.onnx'))).values;
    expect(values('transformer.ln_f.weight').every((v) => v === 1)).toBe(true);
  });

  it('refuses without --out, and with a seed that is not a whole number', async () => {
    await expect(run(['--model', tinyGpt2])).rejects.toThrow(new UserError('iw randomize needs --out DIR (a new folder for the untrained twin)'));
    await expect(run(['--model', tinyGpt2, '--out', join(parent, 'x'), '--seed', 'abc'])).rejects.toThrow(/--seed must be a whole number/);
  });
});
