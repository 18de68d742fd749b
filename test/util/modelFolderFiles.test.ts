import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileInsideFolder } from '../../src/util/modelFolderFiles.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'iw-model-folder-files-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function file(path: string, text = 'x'): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

describe('fileInsideFolder', () => {
  it('takes a regular file inside the folder, with its size', () => {
    const model = join(root, 'plain');
    expect(fileInsideFolder(file(join(model, 'tokenizer.json'), 'abc'), model)).toEqual({ realPath: join(model, 'tokenizer.json'), size: 3 });
  });

  it('refuses a link to a private file, and a file reached through a linked folder', () => {
    const model = join(root, 'stranger');
    const secret = file(join(root, 'home', 'secret'));
    mkdirSync(model);
    symlinkSync(secret, join(model, 'special_tokens_map.json'));
    expect(fileInsideFolder(join(model, 'special_tokens_map.json'), model)).toEqual({ problem: `${join(model, 'special_tokens_map.json')} is a symbolic link to ${secret}: iw reads only regular files inside a model's folder (a link could point at a private file); copy the file in place of the link` });
    symlinkSync(join(root, 'home'), join(model, 'sub'));
    expect(fileInsideFolder(join(model, 'sub', 'secret'), model)).toMatchObject({ problem: expect.stringContaining('lies outside the model\'s folder') });
    expect(fileInsideFolder(join(model, 'absent'), model)).toEqual({ problem: `${join(model, 'absent')} cannot be read (ENOENT)` });
  });

  it('follows the links of a Hugging Face cache snapshot into its blobs folder, and no further', () => {
    const repo = join(root, 'models--org--name');
    const blob = file(join(repo, 'blobs', 'abc123'), 'weights');
    const snapshot = join(repo, 'snapshots', 'c0ffee');
    mkdirSync(join(snapshot, 'onnx'), { recursive: true });
    symlinkSync(blob, join(snapshot, 'onnx', 'model.onnx_data'));
    expect(fileInsideFolder(join(snapshot, 'onnx', 'model.onnx_data'), join(snapshot, 'onnx'))).toEqual({ realPath: blob, size: 7 });
    symlinkSync(file(join(root, 'elsewhere')), join(snapshot, 'onnx', 'other'));
    expect(fileInsideFolder(join(snapshot, 'onnx', 'other'), join(snapshot, 'onnx'))).toMatchObject({ problem: expect.stringContaining('is a symbolic link') });
  });
});
