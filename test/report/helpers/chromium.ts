import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';

/**
 * Headless Chromium for tests that look at what a reader sees. Debian's package (`apt-get install chromium`)
 * puts it at /usr/bin/chromium; without it these tests skip with a message saying so.
 */
export const chromiumPath = '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);

export const describeWithChromium: typeof describe = ((name: string, fn: () => void) => {
  if (hasChromium) return describe(name, fn);
  return describe.skip(`${name} [skipped: needs headless Chromium at ${chromiumPath}; apt-get install chromium]`, fn);
}) as typeof describe;

function runChromium(args: string[]): string {
  const profile = mkdtempSync(join(tmpdir(), 'iw-chromium-'));
  try {
    return execFileSync(chromiumPath, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars',
      `--user-data-dir=${profile}`, ...args,
    ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Screenshots a page (file path) at the given window size into a PNG. */
export function screenshot(page: string, png: string, width: number, height: number): void {
  runChromium([`--screenshot=${png}`, `--window-size=${width},${height}`, `file://${page}`]);
}

/** Loads a page, runs its scripts, and returns the DOM as HTML text. */
export function dumpDom(page: string): string {
  return runChromium(['--virtual-time-budget=5000', '--dump-dom', `file://${page}`]);
}
