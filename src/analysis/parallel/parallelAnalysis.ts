import type { DifferenceAccumulator, LayerDifferences } from '../../measure/index.js';
import { concatenate } from '../../util/index.js';
import { createTaskRunner, type TaskRunner } from '../../util/index.js';
import { checkBootstrap } from '../bootstrap.js';
import { concatenateStartFits, sliceStartFits, type StartFits } from '../curveFitter.js';
import { mixtureModel } from '../curveModel.js';
import { defaultWindowAnalysisOptions, type LayerWindowAnalysis, type WindowAnalysisOptions } from '../layerAnalysis.js';
import { layerUnitFitsFrom, unitWindowBatch } from '../unitFits.js';
import { windowBootstrapPlan, windowFitIntervals, type LayerFitIntervals, type ReplicateValues, type WindowBootstrapOptions } from '../windowBootstrap.js';
import { fitWindow } from '../windowFit.js';
import { computeLayerWindows } from '../windows.js';
import { runAnalysisTask, type AnalysisResult, type AnalysisTask } from './analysisTasks.js';

export type AnalysisRunner = TaskRunner<AnalysisTask, AnalysisResult>;

/** Tasks per worker in one batch: enough that a worker finishing early takes more, few enough to post cheaply. */
const TASKS_PER_WORKER = 4;

/**
 * The analysis pool: `workers` worker threads (analysisWorker.js beside this module), or this thread alone when
 * workers is 1 or the compiled worker is absent (the TypeScript sources under vitest). `script` overrides where
 * the worker is (the tests point it at the compiled one).
 */
export function createAnalysisRunner(workers: number, script = new URL('./analysisWorker.js', import.meta.url)): AnalysisRunner {
  return createTaskRunner<AnalysisTask, AnalysisResult>({ script, size: workers, runInProcess: runAnalysisTask });
}

/** Windows, population fit and every unit's fit of each layer (as analyzeLayerWindows), unit fits dealt to the workers. */
export async function analyzeLayersInParallel(
  runner: AnalysisRunner,
  layers: readonly LayerDifferences[],
  options: WindowAnalysisOptions = defaultWindowAnalysisOptions,
): Promise<LayerWindowAnalysis[]> {
  const windows = layers.map((differences) => computeLayerWindows(differences, options.window));
  const batches = windows.map((layerWindows) => unitWindowBatch(layerWindows));
  const points = windows.length > 0 ? windows[0].maxLag + 1 : 1;
  const fits = options.fitUnits ? await fitWindowsInParallel(runner, concatenate(batches.map((batch) => batch.windows), (n) => new Float64Array(n)), points, options) : null;
  let first = 0;
  return windows.map((layerWindows, slot) => {
    const count = batches[slot].units.length;
    const layerFits = fits ? sliceStartFits(fits, first, first + count) : null;
    first += count;
    return {
      layer: layerWindows.layer,
      windows: layerWindows,
      populationFit: layerWindows.populationWindow ? fitWindow(layerWindows.populationWindow, options.fit) : null,
      unitFits: layerFits ? layerUnitFitsFrom(layerWindows, batches[slot], layerFits, options.fit) : null,
    };
  });
}

/** Every start's mixture fit of each window, the windows split into contiguous chunks over the workers. */
export async function fitWindowsInParallel(runner: AnalysisRunner, windows: Float64Array, points: number, options: WindowAnalysisOptions): Promise<StartFits> {
  const ranges = chunks(windows.length / points, runner.workers * TASKS_PER_WORKER);
  const tasks: AnalysisTask[] = ranges.map(([from, to]) => ({
    kind: 'fitWindows', model: mixtureModel.name, windows: windows.slice(from * points, to * points), points, settings: options.fit.settings,
  }));
  return concatenateStartFits((await runner.run(tasks)) as StartFits[], mixtureModel, points);
}

/** bootstrapWindowFits with the replicates dealt to the workers in contiguous ranges (each has its own stream). */
export async function bootstrapWindowFitsInParallel(
  runner: AnalysisRunner,
  kept: DifferenceAccumulator,
  options: WindowBootstrapOptions,
): Promise<LayerFitIntervals[]> {
  checkBootstrap(kept, options);
  const plan = windowBootstrapPlan(kept, options);
  const parts = kept.keptParts();
  const tasks: AnalysisTask[] = chunks(options.replicates, runner.workers * TASKS_PER_WORKER).map(([from, to]) => ({
    kind: 'windowReplicates', kept: parts, plan, seed: options.seed, from, to,
  }));
  const replicates = ((await runner.run(tasks)) as ReplicateValues[][][]).flat();
  return windowFitIntervals(kept, plan, options, replicates);
}

/** [from, to) ranges splitting 0..count into at most `parts` nearly equal pieces, in order. */
export function chunks(count: number, parts: number): Array<[number, number]> {
  const pieces = Math.max(1, Math.min(count, parts));
  return Array.from({ length: pieces }, (_, i) => [Math.floor((i * count) / pieces), Math.floor(((i + 1) * count) / pieces)] as [number, number]);
}
