import { keptDifferencesOf, type KeptParts } from '../../measure/index.js';
import { fitEveryStart, type FitSettings, type StartFits } from '../curveFitter.js';
import { CURVE_MODELS, type CurveModelName } from '../curveModel.js';
import { windowReplicateValues, type ReplicateValues, type WindowBootstrapPlan } from '../windowBootstrap.js';

/**
 * The analysis work a worker thread can do, as plain data in and out (structured-clonable): fitting a batch of
 * windows, and computing a range of bootstrap replicates from the kept parts.
 */
export type AnalysisTask =
  | { kind: 'fitWindows'; model: CurveModelName; windows: Float64Array; points: number; settings: FitSettings }
  | { kind: 'windowReplicates'; kept: KeptParts; plan: WindowBootstrapPlan; seed: number; from: number; to: number };

export type AnalysisResult = StartFits | ReplicateValues[][];

/** Does one task (in a worker, or in this thread when there are none). */
export function runAnalysisTask(task: AnalysisTask): AnalysisResult {
  if (task.kind === 'fitWindows') return fitEveryStart(CURVE_MODELS[task.model], task.windows, task.points, task.settings);
  const kept = keptDifferencesOf(task.kept);
  return Array.from({ length: task.to - task.from }, (_, i) => windowReplicateValues(kept, task.plan, task.seed, task.from + i));
}
