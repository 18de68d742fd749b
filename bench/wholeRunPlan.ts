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
}

export interface WholeRunPlan {
  cases: WholeRunCase[];
  /** Cases left out, each with why and how to have them. */
  skipped: string[];
}

/** How to build the GPT-2-shape model, printed when its folder is not given or not built. */
export const GPT2_SHAPE_HINT =
  'build it with ../shared/tools/gpt2-shape/make.sh DIR (about a minute, 0.65 GB), then pass --gpt2-shape DIR or set IW_BENCH_GPT2_SHAPE=DIR';

/**
 * The whole runs of issue 11: the bench model at 12 × 150 words with the default engine and `--engine naive` (their
 * ratio), and the GPT-2-shape model (GPT-2 small's size) at 20 × 40 and 2 × 150 words beside the PyTorch reference.
 * --quick keeps the cases but shrinks the sizes to a smoke run.
 */
export function wholeRunPlan(quick: boolean, models: { bench: string; gpt2Shape?: string }): WholeRunPlan {
  const benchLabel = models.bench.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? models.bench;
  const long = { words: 150, sequences: quick ? 2 : 12 };
  const cases: WholeRunCase[] = [
    { modelLabel: benchLabel, model: models.bench, engine: 'fast', pytorch: false, ...long },
    { modelLabel: benchLabel, model: models.bench, engine: 'naive', pytorch: false, ...long },
  ];
  if (!models.gpt2Shape) return { cases, skipped: [`GPT-2-shape cases skipped: no model folder; ${GPT2_SHAPE_HINT}`] };
  for (const size of quick ? [{ words: 40, sequences: 2 }, { words: 150, sequences: 1 }] : [{ words: 40, sequences: 20 }, { words: 150, sequences: 2 }]) {
    cases.push({ modelLabel: 'gpt2-shape', model: models.gpt2Shape, engine: 'fast', pytorch: true, ...size });
  }
  return { cases, skipped: [] };
}
