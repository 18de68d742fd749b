import { spawn } from 'node:child_process';
import { currentHugePageFacts, hugePagesEnvironment } from '../src/cli/hugePages.js';

/**
 * The environment `iw estimate` runs in: bin/iw relaunches itself with huge pages where that gains something
 * (src/cli/hugePages.ts), and the bench's children, which run the CLI's code without bin/iw, get the same.
 */
export function cliEnvironment(): { env: NodeJS.ProcessEnv; relaunched: boolean } {
  const relaunchedWith = hugePagesEnvironment({ ...currentHugePageFacts(), argv: ['estimate'] });
  return { env: relaunchedWith ?? process.env, relaunched: relaunchedWith !== null };
}

/** Runs `node entryScript flag JSON(spec)` and resolves with its result (see runForResult). */
export function runChildForResult<T>(entryScript: string, flag: string, spec: unknown, prefix: string, what: string, env = cliEnvironment().env): Promise<T> {
  return runForResult<T>(process.execPath, [entryScript, flag, JSON.stringify(spec)], prefix, what, env);
}

/**
 * Runs `command args` and resolves with the JSON it printed after `prefix` on a line of its own (anything else a
 * library writes to stdout is ignored; stderr goes to the bench's); `what` names it when it fails.
 */
export function runForResult<T>(command: string, args: readonly string[], prefix: string, what: string, env = process.env): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
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
