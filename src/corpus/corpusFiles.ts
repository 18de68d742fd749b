import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../util/index.js';
import { decodeUtf8 } from './decodeUtf8.js';

/** A corpus file's text, decoded. */
export interface CorpusFileText {
  file: string;
  text: string;
}

/**
 * The files a --corpus path names: the file itself, or every regular file directly inside the folder (sorted
 * by name, hidden files and subfolders left out), each decoded as UTF-8. Missing paths, empty folders and
 * empty files are refused with a message that names them.
 */
export function readCorpusFiles(path: string): CorpusFileText[] {
  const stats = statOrRefuse(path);
  const files = stats.isDirectory() ? folderFiles(path) : [path];
  return files.map((file) => ({ file, text: readText(file) }));
}

function statOrRefuse(path: string): Stats {
  try {
    return statSync(path);
  } catch {
    throw new UserError(`--corpus ${path}: no such file or folder`);
  }
}

function folderFiles(folder: string): string[] {
  const names = readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
  if (names.length === 0) throw new UserError(`--corpus ${folder}: the folder holds no files (subfolders are not read)`);
  return names.map((name) => join(folder, name));
}

function readText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new UserError(`cannot read corpus file ${file}: ${(error as NodeJS.ErrnoException).code ?? 'not readable'}`);
  }
  const text = decodeUtf8(bytes, file);
  if (text.trim().length === 0) {
    throw new UserError(`corpus file ${file} is empty${bytes.length > 0 ? ' (only white space)' : ''}`);
  }
  return text;
}
