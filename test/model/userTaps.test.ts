import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { findLayers, loadModel, padBatch, resolveModel } from '../../src/model/index.js';
import { estimate } from '../../src/pipeline/index.js';
import { resolveOptions } from '../../src/config/resolve.js';
import { estimateOptionSpecs } from '../../src/config/options/estimateRun.js';
import { capturedIO } from '../helpers/runIw.js';
import { maxAbsDifference, sampleWords, stories, tinyGpt2 } from './modelTestKit.js';

/** --taps: tensors the user names, read as layers 0, 1, … (src/model/taps/userTaps.ts). */
describe('--taps', () => {
  it('reads the tensors given, in order: the same values as the layers found by structure', async () => {
    const found = await findLayers(await resolveModel({ model: stories }));
    const chosen = [found[0].tensor, found[2].tensor, found[found.length - 1].tensor];
    const discovered = await loadModel({ model: stories, threads: 1 });
    const tapped = await loadModel({ model: stories, threads: 1, taps: chosen });
    try {
      expect(tapped.taps.map((t) => [t.layer, t.tensor])).toEqual(chosen.map((tensor, layer) => [layer, tensor]));
      const ids = discovered.tokenizer.tokenizeWords(sampleWords.slice(0, 8)).ids;
      const input = padBatch([ids], discovered.acceptsPositionIds);
      const a = await discovered.forward(input, { layers: [0, 2, found.length - 1] });
      const b = await tapped.forward(input, { layers: [0, 1, 2] });
      expect(maxAbsDifference(b.taps.get(0)!, a.taps.get(0)!)).toBe(0);
      expect(maxAbsDifference(b.taps.get(1)!, a.taps.get(2)!)).toBe(0);
      expect(maxAbsDifference(b.taps.get(2)!, a.taps.get(found.length - 1)!)).toBe(0);
    } finally {
      await discovered.dispose();
      await tapped.dispose();
    }
  });

  it('iw layers --taps takes a comma list or a file with one name a line, and lists them', async () => {
    const found = await findLayers(await resolveModel({ model: tinyGpt2 }));
    const names = found.map((t) => t.tensor).reverse();
    const file = join(mkdtempSync(join(tmpdir(), 'iw-taps-')), 'taps.txt');
    writeFileSync(file, `# my reading\n${names.join('\n')}\n\n`);
    for (const given of [names.join(','), file]) {
      const io = capturedIO();
      expect(await runCli(['layers', '--model', tinyGpt2, '--taps', given, '--json'], io)).toBe(0);
      const { layers } = JSON.parse(io.out) as { layers: Array<{ layer: number; tensor: string; width: number }> };
      expect(layers.map((l) => l.tensor)).toEqual(names);
      expect(layers.every((l) => l.width === 64)).toBe(true);
    }
  });

  it('refuses a tensor the graph does not have (exit 2), naming the closest, and a tensor of another width', async () => {
    const io = capturedIO();
    expect(await runCli(['layers', '--model', tinyGpt2, '--taps', '/transformer/h.0/Add_1_outptu_0'], io)).toBe(2);
    expect(io.err).toMatch(/--taps: .* has no tensor "\/transformer\/h\.0\/Add_1_outptu_0" \(closest: "\/transformer\/h\.0\/Add_1_output_0"\)/);
    // The MLP's inner activations are 4 × 64 wide: a tensor that exists, but is not the residual stream.
    const inner = '/transformer/h.0/mlp/Mul_2_output_0';
    await expect(loadModel({ model: tinyGpt2, threads: 1, taps: ['/transformer/Add_output_0', inner] }))
      .rejects.toThrow(`--taps: tensor "${inner}" holds 256 values per token, not the residual stream's 64`);
  });

  it('iw estimate --taps measures those tensors and its report records them', async () => {
    const found = await findLayers(await resolveModel({ model: tinyGpt2 }));
    const taps = [found[0].tensor, found[2].tensor];
    const run = await estimate(resolveOptions(estimateOptionSpecs, { sequences: 4, words: 24, maxLag: 8, quiet: true, seed: 2, taps }));
    expect(run.report.settings.taps).toEqual(taps);
    expect(run.report.layers.map((l) => l.layer)).toEqual([0, 1]);
    expect(run.report.notes.some((n) => n.includes(`1 = ${found[2].tensor}`))).toBe(true);
    const plain = await estimate(resolveOptions(estimateOptionSpecs, { sequences: 4, words: 24, maxLag: 8, quiet: true, seed: 2, layers: [0, 2] }));
    // Same stimuli, same tensors: the same windows as layers 0 and 2 found by structure.
    expect(run.report.layers.map((l) => l.summary)).toEqual(plain.report.layers.map((l) => l.summary));
  }, 120_000);
});
