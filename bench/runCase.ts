import { availableParallelism, freemem, loadavg } from 'node:os';
import { keptBytes, type KeepSequences } from '../src/measure/index.js';
import { loadModel } from '../src/model/index.js';
import type { LanguageModel } from '../src/model/types.js';
import { measureStimuli } from '../src/pipeline/measureStimuli.js';
import { readStimuliFile } from '../src/stimuli/index.js';
import type { Stimuli } from '../src/stimuli/types.js';
import { createRandom } from '../src/util/random.js';
import { RESULT_PREFIX, type CaseResult, type CaseSpec } from './benchCase.js';
import { withForwardTimer } from './forwardTimer.js';
import { heapAndExternal, maxResidentBytes, MemorySampler } from './memorySampler.js';

/** Memory sampling period during the run. */
const SAMPLE_MS = 20;

/**
 * Runs one case as `iw estimate` measures: every layer, the accumulator as the engine's observer, the same
 * kept-bytes limit. A warm-up (two swaps of the first sequence) runs first, untimed, so that the case's time
 * does not include ONNX Runtime's first-run allocations.
 */
export async function runCase(spec: CaseSpec): Promise<CaseResult> {
  const stimuli = readStimuliFile(spec.stimuliPath);
  const loadStartedAt = performance.now();
  const loaded = await loadModel({ model: spec.model, quiet: true });
  const modelLoadSeconds = (performance.now() - loadStartedAt) / 1000;
  try {
    const layers = loaded.taps.map((tap) => tap.layer);
    await measure(loaded, warmUpStimuli(stimuli), spec, layers);
    const { model, seconds } = withForwardTimer(loaded);
    const rssBeforeRun = process.memoryUsage().rss;
    const heapAndExternalBeforeRun = heapAndExternal();
    const before = loadavg();
    const sampler = new MemorySampler();
    sampler.start(SAMPLE_MS);
    const measurement = await measure(model, stimuli, spec, layers);
    const peaks = sampler.stop();
    const after = loadavg();
    const differences = measurement.differences;
    return {
      spec,
      statistics: measurement.statistics,
      forwardSeconds: seconds(),
      modelLoadSeconds,
      sequences: stimuli.sequences.length,
      swaps: stimuli.sequences.reduce((n, s) => n + s.swaps.filter((w) => w !== null).length, 0),
      threads: availableParallelism(),
      memory: {
        rssBeforeRun,
        maxRss: maxResidentBytes(),
        heapAndExternalBeforeRun,
        heapAndExternalPeak: peaks.heapAndExternal,
        keptBytes: keptBytes({
          layers, width: differences.width, wordCount: differences.wordCount, maxLag: spec.maxLag,
          sequenceCount: differences.sequenceCount, keep: keepOf(differences.partKind, differences.partCount),
        }),
        pastBytes: measurement.statistics.engine === 'fast' ? pastBytesOf(loaded, stimuli) : 0,
      },
      loadAverage: { before, after },
    };
  } finally {
    await loaded.dispose();
  }
}

function measure(model: LanguageModel, stimuli: Stimuli, spec: CaseSpec, layers: number[]) {
  return measureStimuli(model, stimuli, {
    layers, maxLag: spec.maxLag, engine: spec.engine,
    keptBytesLimit: Math.min(2 * 1024 ** 3, freemem() / 4),
    random: createRandom(1),
  });
}

/** The first sequence with only its first two swaps. */
export function warmUpStimuli(stimuli: Stimuli): Stimuli {
  const first = stimuli.sequences[0];
  const swaps = first.swaps.map((word, k) => (k < 2 ? word : null));
  return { format: 'iw-stimuli/1', sequences: [{ words: first.words, swaps }] };
}

function keepOf(kind: 'pooled' | 'sequences' | 'groups', groups: number): KeepSequences {
  return kind === 'groups' ? { groups, random: createRandom(0) } : kind;
}

/** Keys and values of every original sequence: T positions × blocks × 2 × kvHeads × headDim float32. */
function pastBytesOf(model: LanguageModel, stimuli: Stimuli): number {
  const { blocks, kvHeads, headDim } = model.pastLayout;
  const tokens = stimuli.sequences.reduce((n, s) => n + model.tokenizer.tokenizeWords(s.words).ids.length, 0);
  return tokens * blocks * 2 * kvHeads * headDim * 4;
}

/** Child side of the bench: run the case given as JSON and print its result on one prefixed line. */
export async function runCaseFromArgument(caseJson: string): Promise<void> {
  const result = await runCase(JSON.parse(caseJson) as CaseSpec);
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}
