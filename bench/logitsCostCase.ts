import { maxLag } from '../src/config/options/estimate.js';
import { runSwapEngine, type SwapObserver } from '../src/engine/index.js';
import { loadModel } from '../src/model/index.js';
import type { LanguageModel, LogitsKept } from '../src/model/types.js';
import { readStimuliFile } from '../src/stimuli/index.js';
import type { Stimuli } from '../src/stimuli/types.js';
import { withForwardTimer } from './forwardTimer.js';
import { warmUpStimuli } from './runCase.js';

/** What the parent asks a logits-cost child to measure: the forward passes of one stimuli file, three ways. */
export interface LogitsCostSpec {
  label: string;
  model: string;
  stimuliPath: string;
}

/**
 * Seconds inside the model's forward passes over the stimuli (default engine, every layer, means of two runs):
 * without logits, with every token's logits (as a forward pass computes them; the read words' rows then copied out),
 * and with the vocabulary projection on the read words alone (what `--readout output` runs).
 */
export interface LogitsCostResult {
  spec: LogitsCostSpec;
  forwardSeconds: { none: number; everyToken: number; readWords: number };
}

export const LOGITS_COST_PREFIX = 'iw-bench-logits-cost ';

type Way = keyof LogitsCostResult['forwardSeconds'];
const KEPT: Record<Way, LogitsKept> = { none: 'none', everyToken: 'all', readWords: 'rows' };
/** Each way twice, in both orders, so that a machine getting busier or quieter weighs on all alike. */
const ORDER: Way[] = ['none', 'everyToken', 'readWords', 'readWords', 'everyToken', 'none'];

/**
 * Child side: the logits' own forward cost, which issue 26 allows the read-out beside 10 % of the run. The engine
 * runs as `iw estimate` runs it, with an observer that does nothing, so only forward passes are timed.
 */
export async function runLogitsCostFromArgument(specJson: string): Promise<void> {
  const spec = JSON.parse(specJson) as LogitsCostSpec;
  const stimuli = readStimuliFile(spec.stimuliPath);
  const models = new Map<Way, LanguageModel>();
  try {
    for (const way of Object.keys(KEPT) as Way[]) {
      const model = await loadModel({ model: spec.model, quiet: true, logits: KEPT[way] });
      models.set(way, model);
      await forwardSeconds(model, warmUpStimuli(stimuli), way); // warm-up: ONNX Runtime's first-run allocations
    }
    const seconds: Record<Way, number[]> = { none: [], everyToken: [], readWords: [] };
    for (const way of ORDER) seconds[way].push(await forwardSeconds(models.get(way)!, stimuli, way));
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    const result: LogitsCostResult = { spec, forwardSeconds: { none: mean(seconds.none), everyToken: mean(seconds.everyToken), readWords: mean(seconds.readWords) } };
    process.stdout.write(`${LOGITS_COST_PREFIX}${JSON.stringify(result)}\n`);
  } finally {
    for (const model of models.values()) await model.dispose();
  }
}

async function forwardSeconds(loaded: LanguageModel, stimuli: Stimuli, way: Way): Promise<number> {
  const { model, seconds } = withForwardTimer(loaded);
  const layers = model.taps.map((tap) => tap.layer);
  await runSwapEngine(model, stimuli, { engine: 'fast', layers, maxLag: maxLag.defaultValue!, readout: way !== 'none' }, IGNORE);
  return seconds();
}

const IGNORE: SwapObserver = { onOriginal: () => {}, onSwap: () => {} };
