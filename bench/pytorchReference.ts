import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TokenizedSequence } from './tokenPositions.js';
import { runForResult } from './childResult.js';

/** What bench/pytorch_reference.py prints (seconds, peak memory, and its population windows). */
export interface PytorchResult {
  torch: string;
  threads: number;
  fitter: string;
  fits: number;
  buildSeconds: number;
  forwardSeconds: number;
  differenceSeconds: number;
  statisticsSeconds: number;
  fitSeconds: number;
  totalSeconds: number;
  maxRssKiB: number;
  /** Per layer 0..n, in order; null where every unit was excluded. */
  populationWindows: Array<number[] | null>;
}

const RESULT_PREFIX = 'pytorch-reference-result ';
/** dist/bench/pytorchReference.js → the checkout's bench/pytorch_reference.py (not compiled, so not in dist). */
const SCRIPT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'pytorch_reference.py');
/** Where the GPT-2-shape tool keeps gpt2.py, the architecture the reference builds. */
const TOOLS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'tools', 'gpt2-shape');
/** Debian's python3-torch lands in the system Python, which a pyenv or venv python3 on PATH may hide. */
const PYTHONS = ['python3', '/usr/bin/python3'];

/** A Python that imports torch and numpy, or why there is none (the PyTorch case is then skipped). */
export function findTorchPython(): { python: string } | { missing: string } {
  for (const python of PYTHONS) {
    const probe = spawnSync(python, ['-c', 'import torch, numpy'], { stdio: 'ignore' });
    if (probe.status === 0) return { python };
  }
  return {
    missing: `PyTorch reference skipped: no python3 with torch and numpy (tried ${PYTHONS.join(', ')}); ` +
      'on Debian: apt-get install python3-torch (python3-scipy too, for curve_fit)',
  };
}

/**
 * Runs the PyTorch reference on the very token ids iw measured (every version of every sequence, with its word
 * spans), on `threads` threads, and returns what it printed.
 */
export function runPytorchReference(
  python: string, options: { modelDir: string; sequences: readonly TokenizedSequence[]; maxLag: number; minSwap: number; threads: number; requestPath: string },
): Promise<PytorchResult> {
  const version = (tokens: TokenizedSequence['original']) => ({ ids: Array.from(tokens.ids, Number), wordSpans: tokens.wordSpans });
  writeFileSync(options.requestPath, JSON.stringify({
    modelDir: options.modelDir, toolsDir: TOOLS_DIR, maxLag: options.maxLag, minSwap: options.minSwap, threads: options.threads,
    sequences: options.sequences.map((s) => ({
      original: version(s.original),
      swaps: s.swaps.map((swap) => ({ swapPosition: swap.swapPosition, tokens: version(swap.tokens) })),
    })),
  }));
  return runForResult<PytorchResult>(python, [SCRIPT, options.requestPath], RESULT_PREFIX, SCRIPT);
}

/** Largest absolute difference between iw's population windows and the reference's, over the layers both have. */
export function largestWindowDifference(iw: ReadonlyArray<{ layer: number; window: readonly number[] }>, reference: PytorchResult['populationWindows']): number {
  let largest = 0;
  for (const { layer, window } of iw) {
    const other = reference[layer];
    if (!other) continue;
    window.forEach((value, lag) => { largest = Math.max(largest, Math.abs(value - other[lag])); });
  }
  return largest;
}

