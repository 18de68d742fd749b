import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { capturedIO as capture } from '../helpers/runIw.js';
import { fixturePath } from '../helpers/shared.js';

describe('iw layers', () => {

  it('prints the layers as JSON', async () => {
    const io = capture();
    expect(await runCli(['layers', '--model', fixturePath('models', 'stories260K'), '--json'], io)).toBe(0);
    const parsed = JSON.parse(io.out) as { layers: Array<{ layer: number; tensor: string; width: number; role: string }> };
    // stories260K: 5 blocks (config.json num_hidden_layers) → 6 layers of 64 units (hidden_size).
    expect(parsed.layers.map((l) => l.layer)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(parsed.layers.every((l) => l.width === 64)).toBe(true);
    expect(parsed.layers[0]).toMatchObject({ tensor: '/model/embed_tokens/Gather_output_0', role: 'embedding' });
    expect(parsed.layers[5]).toMatchObject({ tensor: '/model/norm/Mul_1_output_0', role: 'final-norm' });
  });

  it('prints a table with tensor names and widths', async () => {
    const io = capture();
    expect(await runCli(['layers', '--model', fixturePath('models', 'gutenberg-gpt2-tiny')], io)).toBe(0);
    expect(io.out).toMatch(/3 layers/);
    expect(io.out).toMatch(/^0\s+embedding\s+64\s+\/transformer\/Add_output_0$/m);
    expect(io.out).toMatch(/^2\s+final-norm\s+64\s+\/transformer\/ln_f\/Add_1_output_0$/m);
  });

  it('a missing model is one line, exit 2', async () => {
    const io = capture();
    expect(await runCli(['layers', '--model', './nowhere/model'], io)).toBe(2);
    expect(io.err).toMatch(/^iw: --model \.\/nowhere\/model: no such folder/);
    expect(io.err.trim().split('\n')).toHaveLength(1);
  });
});
