import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { capturedIO as capture } from '../helpers/runIw.js';
import { loadModel, padBatch } from '../../src/model/index.js';
import { fixturePath } from '../helpers/shared.js';
import { removeDir, tempDir } from '../model/modelTestKit.js';

interface Written {
  tokens: Array<{ id: number; text: string }>;
  words?: Array<{ word: string; tokens: [number, number] }>;
  layers: Array<{ layer: number; tensor: string; width: number; values: number[][] }>;
}

describe('iw activations', () => {
  const stories = fixturePath('models', 'stories260K');
  const folder = tempDir('activations');
  afterAll(() => removeDir(folder));

  it('writes tokens and per-token vectors of the asked layers, equal to a forward pass', async () => {
    const out = join(folder, 'tokens.json');
    const io = capture();
    expect(await runCli(['activations', '--model', stories, '--text', 'once upon  a time', '--layers', '0,5', '--out', out, '--threads', '1'], io)).toBe(0);
    const written = JSON.parse(readFileSync(out, 'utf8')) as Written;
    expect(written.tokens[0]).toEqual({ id: 1, text: '<s>' }); // stories260K's tokenizer adds BOS
    expect(written.layers.map((l) => [l.layer, l.width, l.values.length])).toEqual([[0, 64, written.tokens.length], [5, 64, written.tokens.length]]);
    const model = await loadModel({ model: stories, threads: 1 });
    try {
      const direct = await model.forward(padBatch([written.tokens.map((t) => t.id)], true), { layers: [5] });
      expect(written.layers[1].values.flat()).toEqual(Array.from(direct.taps.get(5)!));
    } finally {
      await model.dispose();
    }
  });

  it('tokenizes --text by the measurements\' rule: a leading space for GPT-2 unless --no-prefix-space', async () => {
    const tiny = fixturePath('models', 'gutenberg-gpt2-tiny');
    const { AutoTokenizer } = await import('@huggingface/transformers');
    const tokenizer = await AutoTokenizer.from_pretrained(tiny, { local_files_only: true });
    for (const [flags, lead] of [[[], ' '], [['--no-prefix-space'], '']] as const) {
      const out = join(folder, `prefix${lead.length}.json`);
      expect(await runCli(['activations', '--model', tiny, '--text', 'the old  man', '--layers', '0', '--out', out, ...flags], capture())).toBe(0);
      const written = JSON.parse(readFileSync(out, 'utf8')) as Written & { prefixSpace: boolean; firstWord: string };
      expect(written.prefixSpace).toBe(lead === ' ');
      expect(written.firstWord).toBe(lead === ' ' ? 'leading space' : 'none');
      expect(written.tokens.map((t) => t.id)).toEqual(tokenizer.encode(`${lead}the old man`, { add_special_tokens: true }));
    }
    const stories260K = join(folder, 'stories-prefix.json');
    expect(await runCli(['activations', '--model', stories, '--text', 'once upon', '--layers', '0', '--out', stories260K], capture())).toBe(0);
    const llama = JSON.parse(readFileSync(stories260K, 'utf8')) as { prefixSpace: boolean; firstWord: string };
    expect([llama.prefixSpace, llama.firstWord]).toEqual([false, 'tokenizer']); // SentencePiece with a dummy prefix: left as it is
  });

  it('with --per-word, writes one vector per word: the mean over its tokens', async () => {
    const out = join(folder, 'words.json');
    const io = capture();
    expect(await runCli(['activations', '--model', stories, '--text', 'once upon a time', '--layers', '3', '--per-word', '--out', out], io)).toBe(0);
    const perWord = JSON.parse(readFileSync(out, 'utf8')) as Written;
    const tokensOut = join(folder, 'tokens3.json');
    expect(await runCli(['activations', '--model', stories, '--text', 'once upon a time', '--layers', '3', '--out', tokensOut], capture())).toBe(0);
    const perToken = JSON.parse(readFileSync(tokensOut, 'utf8')) as Written;
    expect(perWord.words!.map((w) => w.word)).toEqual(['once', 'upon', 'a', 'time']);
    perWord.words!.forEach(({ tokens: [start, end] }, w) => {
      const rows = perToken.layers[0].values.slice(start, end);
      const mean = rows[0].map((_, u) => rows.reduce((sum, row) => sum + row[u], 0) / rows.length);
      perWord.layers[0].values[w].forEach((v, u) => expect(v).toBeCloseTo(mean[u], 6));
    });
  });

  it('refuses a layer the model does not have, and a missing --out, in one line', async () => {
    const io = capture();
    expect(await runCli(['activations', '--model', stories, '--text', 'once', '--layers', '9', '--out', join(folder, 'x.json')], io)).toBe(2);
    expect(io.err).toMatch(/--layers: the model has no layer 9; its layers are 0 to 5/);
    const io2 = capture();
    expect(await runCli(['activations', '--model', stories, '--text', 'once'], io2)).toBe(2);
    expect(io2.err).toMatch(/needs --out FILE/);
  });
});
