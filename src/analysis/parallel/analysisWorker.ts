import { parentPort } from 'node:worker_threads';
import { runAnalysisTask, type AnalysisTask } from './analysisTasks.js';

// A worker thread of the analysis pool (util/workerPool.ts): answers each { id, task } with its result.
const port = parentPort;
if (!port) throw new Error('analysisWorker.js runs as a worker thread of the analysis pool, not on its own');
port.on('message', ({ id, task }: { id: number; task: AnalysisTask }) => {
  try {
    port.postMessage({ id, result: runAnalysisTask(task) });
  } catch (error) {
    port.postMessage({ id, error: (error as Error).stack ?? String(error) });
  }
});
