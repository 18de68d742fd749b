import { parentPort } from 'node:worker_threads';
import { runAnalysisTask, type AnalysisTask } from './analysisTasks.js';

// A worker thread of the analysis pool (util/workerPool.ts): answers each { id, task } with its result.
parentPort!.on('message', ({ id, task }: { id: number; task: AnalysisTask }) => {
  try {
    parentPort!.postMessage({ id, result: runAnalysisTask(task) });
  } catch (error) {
    parentPort!.postMessage({ id, error: (error as Error).stack ?? String(error) });
  }
});
