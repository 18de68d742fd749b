import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hubIdFor, resolveModel } from '../../src/model/index.js';
import { UserError } from '../../src/util/errors.js';
import { folderWith, removeDir, stories, tempDir, tinyGpt2 } from './modelTestKit.js';

const modelFiles = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
const made: string[] = [];
afterAll(() => made.forEach(removeDir));

function folder(files: Record<string, string>): string {
  const path = folderWith(tinyGpt2, modelFiles);
  made.push(path);
  for (const [name, source] of Object.entries(files)) copyFileSync(join(tinyGpt2, source), join(path, name));
  return path;
}

describe('resolving a local model folder', () => {
  it('reads config, architecture, context and the ONNX file', async () => {
    const resolved = await resolveModel({ model: stories });
    expect(resolved.localPath).toBe(stories);
    expect(resolved.architecture).toBe('llama');
    expect(resolved.contextLength).toBe(512); // max_position_embeddings in config.json
    expect(resolved.layout).toBe('single');
    expect(resolved.onnxPath).toBe(join(stories, 'onnx', 'model.onnx'));
    expect(resolved.withPastPath).toBeUndefined();
    expect((await resolveModel({ model: tinyGpt2 })).contextLength).toBe(256); // n_positions
  });

  it('reports the sha256 of the ONNX file', async () => {
    const resolved = await resolveModel({ model: tinyGpt2 });
    const expected = createHash('sha256').update(readFileSync(resolved.onnxPath)).digest('hex');
    expect(await resolved.sha256()).toBe(expected);
  });

  it('picks the file of the asked dtype, by transformers.js suffixes', async () => {
    const path = folder({ 'onnx/model_quantized.onnx': 'onnx/model.onnx', 'onnx/model_fp16.onnx': 'onnx/model.onnx' });
    expect((await resolveModel({ model: path, dtype: 'q8' })).onnxPath).toBe(join(path, 'onnx', 'model_quantized.onnx'));
    expect((await resolveModel({ model: path, dtype: 'fp16' })).onnxPath).toBe(join(path, 'onnx', 'model_fp16.onnx'));
    await expect(resolveModel({ model: path, dtype: 'fp32' })).rejects.toThrow(/has no ONNX file for --dtype fp32 \(looked for onnx\/model\.onnx, or .*\); it has files for --dtype fp16, q8/);
  });

  it('with no --dtype: runs the only dtype present with a one-line notice, fp32 among several, else lists them', async () => {
    const notices: string[] = [];
    const notice = (line: string) => notices.push(line);
    const fp16Only = folder({ 'onnx/model_fp16.onnx': 'onnx/model.onnx' });
    const chosen = await resolveModel({ model: fp16Only, notice });
    expect([chosen.dtype, chosen.onnxPath]).toEqual(['fp16', join(fp16Only, 'onnx', 'model_fp16.onnx')]);
    expect(notices).toEqual([`iw: ${fp16Only}: running its only dtype, fp16 (no fp32 file; --dtype fp16 says so and silences this)\n`]);
    await resolveModel({ model: fp16Only, notice }); // once per folder
    expect(notices).toHaveLength(1);
    const several = folder({ 'onnx/model.onnx': 'onnx/model.onnx', 'onnx/model_q4.onnx': 'onnx/model.onnx' });
    expect((await resolveModel({ model: several, notice })).dtype).toBe('fp32');
    const noFp32 = folder({ 'onnx/model_q4.onnx': 'onnx/model.onnx', 'onnx/model_bnb4.onnx': 'onnx/model.onnx' });
    const refused = resolveModel({ model: noFp32, notice });
    await expect(refused).rejects.toThrow(UserError);
    await expect(refused).rejects.toThrow(`${noFp32} holds no fp32 model (onnx/model.onnx) but files for several dtypes: q4, bnb4; choose one with --dtype`);
    expect(notices).toHaveLength(1);
  });

  it('prefers model.onnx, then the merged decoder, then the decoder pair', async () => {
    const pair = { 'onnx/decoder_model.onnx': 'onnx/model.onnx', 'onnx/decoder_with_past_model.onnx': 'onnx/model.onnx' };
    const pairOnly = await resolveModel({ model: folder(pair) });
    expect(pairOnly.layout).toBe('pair');
    expect(pairOnly.withPastPath).toMatch(/decoder_with_past_model\.onnx$/);
    const merged = await resolveModel({ model: folder({ ...pair, 'onnx/decoder_model_merged.onnx': 'onnx/model.onnx' }) });
    expect(merged.layout).toBe('merged');
    const single = await resolveModel({ model: folder({ ...pair, 'onnx/model.onnx': 'onnx/model.onnx' }) });
    expect(single.layout).toBe('single');
  });

  it('says in one sentence what is missing', async () => {
    await expect(resolveModel({ model: './no/such/folder' })).rejects.toThrow(UserError);
    await expect(resolveModel({ model: './no/such/folder' })).rejects.toThrow(/no such folder/);
    const noTokenizer = tempDir('no-tokenizer');
    made.push(noTokenizer);
    copyFileSync(join(tinyGpt2, 'config.json'), join(noTokenizer, 'config.json'));
    await expect(resolveModel({ model: noTokenizer })).rejects.toThrow(/has no tokenizer\.json/);
    const noOnnx = folder({});
    await expect(resolveModel({ model: noOnnx })).rejects.toThrow(/has no ONNX file for --dtype fp32.*onnx\/ folder|has no ONNX file for --dtype fp32/);
    const empty = tempDir('empty');
    made.push(empty);
    await expect(resolveModel({ model: empty })).rejects.toThrow(/has no config\.json/);
  });
});

describe('hub ids', () => {
  it('model@revision points to --revision', async () => {
    await expect(resolveModel({ model: 'EleutherAI/pythia-70m@step1000' })).rejects.toThrow('--model EleutherAI/pythia-70m@step1000: give the revision with --revision (--model EleutherAI/pythia-70m --revision step1000)');
  });

  it('maps a bare "gpt2" to Xenova/gpt2, as transformers.js users know it', () => {
    expect(hubIdFor('gpt2')).toBe('Xenova/gpt2');
    expect(hubIdFor('onnx-community/Qwen3-0.6B-ONNX')).toBe('onnx-community/Qwen3-0.6B-ONNX');
  });
});

/** The snapshot folder of a repo's revision main in a cache of huggingface_hub's layout, named by the revision (no commit known). */
function snapshot(cacheDir: string, repoId: string): string {
  return join(cacheDir, `models--${repoId.replace('/', '--')}`, 'snapshots', 'main');
}

/** A cache holding a model as huggingface_hub lays it out (test/model/hubCache.test.ts downloads into it). */
function cacheWith(repoId: string, source: string): string {
  const cacheDir = tempDir('hub-cache');
  made.push(cacheDir);
  const repo = snapshot(cacheDir, repoId);
  mkdirSync(repo, { recursive: true });
  cpSync(source, repo, { recursive: true });
  return cacheDir;
}

describe('hub ids from the cache (no network)', () => {
  it('resolves someorg/tiny from the cache offline', async () => {
    const cacheDir = cacheWith('someorg/tiny', tinyGpt2);
    const resolved = await resolveModel({ model: 'someorg/tiny', cacheDir, offline: true });
    expect(resolved.hubId).toBe('someorg/tiny');
    expect(resolved.localPath).toBe(snapshot(cacheDir, 'someorg/tiny'));
    expect(resolved.onnxPath).toBe(join(snapshot(cacheDir, 'someorg/tiny'), 'onnx', 'model.onnx'));
    expect(resolved.revision).toBe('main');
    expect(resolved.architecture).toBe('gpt2');
  });

  it('resolves a bare gpt2 as Xenova/gpt2 from the cache', async () => {
    const cacheDir = cacheWith('Xenova/gpt2', tinyGpt2);
    expect((await resolveModel({ model: 'gpt2', cacheDir, offline: true })).localPath).toBe(snapshot(cacheDir, 'Xenova/gpt2'));
  });

  it('offline, a model not in the cache is one clear sentence', async () => {
    const cacheDir = cacheWith('someorg/tiny', tinyGpt2);
    await expect(resolveModel({ model: 'someorg/absent', cacheDir, offline: true })).rejects.toThrow(UserError);
    await expect(resolveModel({ model: 'someorg/absent', cacheDir, offline: true })).rejects.toThrow(/someorg\/absent is not in the cache .* \(--offline\)/);
  });

  it('offline, a cached model without the asked dtype says so', async () => {
    const cacheDir = cacheWith('someorg/tiny', tinyGpt2);
    await expect(resolveModel({ model: 'someorg/tiny', cacheDir, offline: true, dtype: 'q4' })).rejects.toThrow(/no ONNX file for --dtype q4 in the cache/);
  });

  it('a missing file of a cached model is named', async () => {
    const cacheDir = cacheWith('someorg/tiny', tinyGpt2);
    rmSync(join(snapshot(cacheDir, 'someorg/tiny'), 'tokenizer.json'));
    await expect(resolveModel({ model: 'someorg/tiny', cacheDir, offline: true })).rejects.toThrow(/tokenizer\.json of someorg\/tiny is not in the cache/);
  });
});
