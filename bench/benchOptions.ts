import { parseArgs } from 'node:util';
import { UserError } from '../src/util/errors.js';

export interface BenchOptions {
  quick: boolean;
  /** Where to write the full results as JSON (besides the table and summary on stdout). */
  json?: string;
  model: string;
  corpus: string;
  seed: number;
  /** Each comparison's sequences are cut into this many parts, run naive/fast then fast/naive alternately. */
  parts: number;
  /** The GPT-2-shape model folder (--gpt2-shape or IW_BENCH_GPT2_SHAPE); its whole runs are skipped without it. */
  gpt2Shape?: string;
  /** Only the whole runs (stage table, PyTorch reference), not the engine comparisons and memory cases. */
  wholeRunsOnly: boolean;
  /** Only the whole runs that time --readout output against the same runs without (issue 26). */
  readoutRunsOnly: boolean;
  /** Leave out the PyTorch reference even when python3 with torch is there. */
  skipPytorch: boolean;
  /** Internal: run one case in this process (a child of the bench) and print its result as JSON. */
  caseSpec?: string;
  /** Internal: run one whole `iw estimate` in this process (a child of the bench) and print its result. */
  wholeRunSpec?: string;
  /** Internal: time the logits' forward cost on one stimuli file in this process (a child of the bench) and print it. */
  logitsCostSpec?: string;
}

export const BENCH_USAGE = `usage: npm run bench -- [--quick] [--json FILE] [--model PATH] [--corpus PATH] [--seed N] [--parts N]
  --quick        small sizes: a smoke run of one to two minutes
  --json FILE    also write every measurement as JSON to FILE
  --model PATH   the model to bench (default: ../shared/models/gutenberg-gpt2-small)
  --corpus PATH  corpus the stimuli come from (default: ../shared/corpora/brown, POS swaps)
  --seed N       seed of the stimuli (default 1)
  --parts N      alternating naive/fast parts per comparison (default 2: naive,fast | fast,naive)
  --gpt2-shape DIR   GPT-2-shape model for the whole runs (default: $IW_BENCH_GPT2_SHAPE; skipped when absent;
                 build it with ../shared/tools/gpt2-shape/make.sh DIR)
  --whole-runs-only  only the whole iw estimate runs (stage table) and the PyTorch reference
  --skip-pytorch     no PyTorch reference (by default it runs when python3 has torch)
  --readout-runs-only  only whole runs at 12 × 40 with --readout output against the same runs without`;

/** Flags → options; `defaults` holds the paths, found from where the bench is installed. */
export function parseBenchArgs(argv: readonly string[], defaults: { model: string; corpus: string; gpt2Shape?: string }): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean', default: false },
        json: { type: 'string' },
        model: { type: 'string', default: defaults.model },
        corpus: { type: 'string', default: defaults.corpus },
        seed: { type: 'string', default: '1' },
        parts: { type: 'string', default: '2' },
        'gpt2-shape': { type: 'string' },
        'whole-runs-only': { type: 'boolean', default: false },
        'skip-pytorch': { type: 'boolean', default: false },
        'readout-runs-only': { type: 'boolean', default: false },
        case: { type: 'string' },
        'whole-run': { type: 'string' },
        'logits-cost': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UserError(`${(error as Error).message}\n${BENCH_USAGE}`);
  }
  return {
    quick: values.quick,
    json: values.json,
    model: values.model,
    corpus: values.corpus,
    seed: wholeNumber('--seed', values.seed, 0, 2 ** 32 - 1),
    parts: wholeNumber('--parts', values.parts, 1, 20),
    gpt2Shape: values['gpt2-shape'] ?? defaults.gpt2Shape,
    wholeRunsOnly: values['whole-runs-only'],
    skipPytorch: values['skip-pytorch'],
    readoutRunsOnly: values['readout-runs-only'],
    caseSpec: values.case,
    wholeRunSpec: values['whole-run'],
    logitsCostSpec: values['logits-cost'],
  };
}

function wholeNumber(flag: string, text: string, low: number, high: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < low || value > high) {
    throw new UserError(`${flag} must be a whole number from ${low} to ${high} (got ${JSON.stringify(text)})`);
  }
  return value;
}
