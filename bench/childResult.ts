import { spawn } from 'node:child_process';

/** Runs `node entryScript flag JSON(spec)` and resolves with its result (see runForResult). */
export function runChildForResult<T>(entryScript: string, flag: string, spec: unknown, prefix: string, what: string): Promise<T> {
  return runForResult<T>(process.execPath, [entryScript, flag, JSON.stringify(spec)], prefix, what);
}

/**
 * Runs `command args` and resolves with the JSON it printed after `prefix` on a line of its own (anything else a
 * library writes to stdout is ignored; stderr goes to the bench's); `what` names it when it fails.
 */
export function runForResult<T>(command: string, args: readonly string[], prefix: string, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => { output += chunk; });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const line = output.split('\n').find((l) => l.startsWith(prefix));
      if (code === 0 && line) resolve(JSON.parse(line.slice(prefix.length)) as T);
      else reject(new Error(`${what} failed: exit ${code ?? signal}`));
    });
  });
}
