import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Runs batches of tasks, on worker threads or in this thread; results come back in task order either way. */
export interface TaskRunner<Task, Result> {
  /** Threads doing the work (1 when it runs in this thread). */
  readonly workers: number;
  run(tasks: readonly Task[]): Promise<Result[]>;
  /** Ends the worker threads (a runner in this thread has none). */
  close(): Promise<void>;
}

export interface WorkerPoolOptions<Task, Result> {
  /** The worker's script (compiled JavaScript that answers `{ id, task }` with `{ id, result }` or `{ id, error }`). */
  script: URL;
  /** Worker threads wanted; 1 or fewer runs every task in this thread. */
  size: number;
  /** The same work in this thread: used when size ≤ 1, or when `script` does not exist (TypeScript sources run by the tests). */
  runInProcess: (task: Task) => Result;
}

/**
 * A pool of worker threads, or a runner in this thread when one worker is asked for or the worker's script is not
 * there (under vitest the sources are TypeScript, and a worker cannot load them). Tasks are dealt to whichever
 * worker is free; since each result is stored at its task's index, the answer does not depend on the number of
 * workers or on which finished first.
 */
export function createTaskRunner<Task, Result>(options: WorkerPoolOptions<Task, Result>): TaskRunner<Task, Result> {
  const size = Math.max(1, Math.floor(options.size));
  if (size === 1 || !existsSync(fileURLToPath(options.script))) return inProcessRunner(options.runInProcess);
  return new WorkerPool<Task, Result>(options.script, size);
}

function inProcessRunner<Task, Result>(runTask: (task: Task) => Result): TaskRunner<Task, Result> {
  return { workers: 1, run: async (tasks) => tasks.map(runTask), close: async () => {} };
}

interface Reply<Result> {
  id: number;
  result?: Result;
  error?: string;
}

class WorkerPool<Task, Result> implements TaskRunner<Task, Result> {
  readonly workers: number;
  private readonly script: URL;
  private threads: Worker[] = [];

  constructor(script: URL, size: number) {
    this.script = script;
    this.workers = size;
  }

  async run(tasks: readonly Task[]): Promise<Result[]> {
    if (this.threads.length === 0) this.threads = Array.from({ length: this.workers }, () => new Worker(this.script));
    const results = new Array<Result>(tasks.length);
    let next = 0;
    const drain = (worker: Worker): Promise<void> =>
      new Promise((resolve, reject) => {
        const give = () => {
          if (next >= tasks.length) return finish(resolve);
          const id = next++;
          worker.postMessage({ id, task: tasks[id] });
        };
        const onMessage = (reply: Reply<Result>) => {
          if (reply.error !== undefined) return finish(() => reject(new Error(`analysis worker: ${reply.error}`)));
          results[reply.id] = reply.result as Result;
          give();
        };
        const onError = (error: Error) => finish(() => reject(error));
        const onExit = (code: number) => finish(() => reject(new Error(`analysis worker stopped (exit code ${code}) before its tasks were done`)));
        const finish = (then: () => void) => {
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
          then();
        };
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        give();
      });
    await Promise.all(this.threads.map(drain));
    return results;
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((worker) => worker.terminate()));
    this.threads = [];
  }
}
