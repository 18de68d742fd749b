import { readFileSync } from 'node:fs';
import { UserError } from './errors.js';

/**
 * Reads a JSON file the user named. A missing or unreadable file and text that is not JSON are user errors
 * that name the file and say what it should be (`what`, e.g. "report", "stimuli file", "config file").
 */
export function readJsonFile(path: string, what: string): unknown {
  return parseJsonText(readTextFile(path, what), `${what} ${path}`);
}

/** Reads a text file the user named, as UTF-8; a missing or unreadable file is a user error. */
export function readTextFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code ?? 'not readable';
    throw new UserError(`cannot read ${what} ${path}: ${reason}`);
  }
}

/** Parses JSON text; `source` (e.g. "report out/report.json") names it when the text is not JSON. */
export function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
}
