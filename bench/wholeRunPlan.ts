import type { EngineKind } from '../src/engine/index.js';
import type { StimuliSize } from './benchPlan.js';

/** One `iw estimate` run, start to end, as a user runs it (default options but the engine). */
export interface WholeRunCase extends StimuliSize {
  /** Short name of the model in the table, e.g. "gpt2-shape". */
  modelLabel: string;
  /** The model folder. */
  model: string;
  engine: EngineKind;
  /** Also time the PyTorch reference (bench/pytorch_reference.py) on the same stimuli. */
  pytorch: boolean;
  /**
   * Run as the CLI runs it, with huge pages where the CLI relaunches itself with them (src/cli/hugePages.ts); false
   * runs it as IW_HUGE_PAGES=0 does, to show what they gain.
   */
  hugePages: boolean;
  /** Also --readout output (the output read-out), to time it against the same run without. */
  readout?: boolean;
}

export interface WholeRunPlan {
  cases: WholeRunCase[];
  /** Models and sizes whose logits' forward cost to time on the same stimuli (bench/logitsCostCase.ts), for the read-out's allowance. */
  logitsCosts?: LogitsCostCase[];
  /** Cases left out, each with why and how to have them. */
  skipped: string[];
}

/** A model and stimuli size whose forward passes are timed without logits, with every token's, and with the read words'. */
export interface LogitsCostCase extends StimuliSize {
  modelLabel: string;
  model: string;
}

/** How to build the GPT-2-shape model, printed when its folder is not given or not built. */
export const GPT2_SHAPE_HINT =
  'build it with ../shared/tools/gpt2-shape/make.sh DIR (about a minute, 0.65 GB), then pass --gpt2-shape DIR or set IW_BENCH_GPT2_SHAPE=DIR';

/**
 * The whole runs of issue 11: the bench model at 12 × 150 words with the default engine and `--engine naive` (their
 * ratio), and the GPT-2-shape model (GPT-2 small's size) at 20 × 40 and 2 × 150 words beside the PyTorch reference.
 * Where huge pages are to be had (`withoutHugePages`), the default engine's run on the bench model and the
 * GPT-2 shape's 20 × 40 run again without them, side by side. --quick keeps the cases but shrinks the sizes to a smoke run.
 */
export function wholeRunPlan(quick: boolean, models: { bench: string; gpt2Shape?: string }, withoutHugePages = false, readoutOnly = false): WholeRunPlan {
  const benchLabel = models.bench.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? models.bench;
  if (readoutOnly) return readoutPlan(quick, models, benchLabel);
  const long = { words: 150, sequences: quick ? 2 : 12 };
  const asTheCliRuns = { pytorch: false, hugePages: true };
  const cases: WholeRunCase[] = [
    { modelLabel: benchLabel, model: models.bench, engine: 'fast', ...asTheCliRuns, ...long },
    { modelLabel: benchLabel, model: models.bench, engine: 'naive', ...asTheCliRuns, ...long },
  ];
  if (withoutHugePages) cases.push({ ...cases[0], hugePages: false });
  if (!models.gpt2Shape) return { cases, skipped: [`GPT-2-shape cases skipped: no model folder; ${GPT2_SHAPE_HINT}`] };
  const [short, longer] = quick ? [{ words: 40, sequences: 2 }, { words: 150, sequences: 1 }] : [{ words: 40, sequences: 20 }, { words: 150, sequences: 2 }];
  const shape = { modelLabel: 'gpt2-shape', model: models.gpt2Shape, engine: 'fast' as const, pytorch: true, hugePages: true };
  cases.push({ ...shape, ...short });
  if (withoutHugePages) cases.push({ ...shape, ...short, pytorch: false, hugePages: false });
  cases.push({ ...shape, ...longer });
  return { cases, skipped: [] };
}

/**
 * Issue 26's cost of the output read-out: `--readout output` against the same run without, whole runs of the default
 * engine at 12 × 40 words, on the bench model and (when built) the GPT-2 shape; each pair twice, in both orders, so
 * that a machine getting busier or quieter weighs on both sides alike; and, on the same stimuli, the logits' own
 * forward cost that the read-out is allowed beside 10 %.
 */
function readoutPlan(quick: boolean, models: { bench: string; gpt2Shape?: string }, benchLabel: string): WholeRunPlan {
  const size = { words: 40, sequences: quick ? 2 : 12 };
  const pairs = (modelLabel: string, model: string): WholeRunCase[] => {
    const without: WholeRunCase = { modelLabel, model, engine: 'fast', pytorch: false, hugePages: true, ...size };
    const withReadout = { ...without, readout: true };
    return [without, withReadout, withReadout, without];
  };
  const cases = pairs(benchLabel, models.bench);
  const logitsCosts: LogitsCostCase[] = [{ modelLabel: benchLabel, model: models.bench, ...size }];
  if (!models.gpt2Shape) return { cases, logitsCosts, skipped: [`GPT-2-shape read-out runs skipped: no model folder; ${GPT2_SHAPE_HINT}`] };
  logitsCosts.push({ modelLabel: 'gpt2-shape', model: models.gpt2Shape, ...size });
  return { cases: [...cases, ...pairs('gpt2-shape', models.gpt2Shape)], logitsCosts, skipped: [] };
}
