import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AnalysisInput, AnalysisOutput, AnalysisProvider } from './analysis-provider.js';
import type { AnalysisTask, AnalysisTaskResult } from './analysis-thread.js';

/** Threads idle this long are stopped (started again on the next analysis). */
const IDLE_MS = 10_000;

const here = fileURLToPath(import.meta.url);
const threadFile = path.join(path.dirname(here), `analysis-thread${path.extname(here)}`);

/** From source (tsx, vitest) the thread registers tsx itself: a worker's execArgv `--import tsx` does not reach its entry module. */
function startThread(): Worker {
  if (threadFile.endsWith('.ts')) {
    const url = JSON.stringify(pathToFileURL(threadFile).href);
    return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${url}); })`, { eval: true });
  }
  return new Worker(threadFile);
}

interface Pending {
  task: AnalysisTask;
  resolve(output: AnalysisOutput): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  busy?: Pending;
  idleTimer?: NodeJS.Timeout;
}

/**
 * The local analyzer on a pool of worker threads: the same output as running it in-process, but
 * its CPU time no longer blocks HTTP requests (nor, on the embedded database, the database, which
 * runs on the main thread). Threads start on demand and stop when idle; they never keep the
 * process alive.
 */
export class ThreadedAnalysisProvider implements AnalysisProvider {
  readonly name = 'local';
  private readonly threads = new Set<Thread>();
  private readonly queue: Pending[] = [];
  private nextId = 1;

  constructor(private readonly size: number) {}

  analyze(input: AnalysisInput, options?: { signal?: AbortSignal }): Promise<AnalysisOutput> {
    const signal = options?.signal;
    signal?.throwIfAborted();
    return new Promise<AnalysisOutput>((resolve, reject) => {
      const pending: Pending = { task: { id: this.nextId++, input }, resolve, reject };
      // An aborted analysis is dropped from the queue; one already running finishes unseen.
      signal?.addEventListener('abort', () => {
        const index = this.queue.indexOf(pending);
        if (index >= 0) this.queue.splice(index, 1);
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      }, { once: true });
      this.queue.push(pending);
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (;;) {
      const next = this.queue[0];
      if (!next) return;
      let thread = [...this.threads].find((candidate) => !candidate.busy);
      if (!thread && this.threads.size < this.size) thread = this.spawn();
      if (!thread) return;
      this.queue.shift();
      clearTimeout(thread.idleTimer);
      thread.busy = next;
      thread.worker.postMessage(next.task);
    }
  }

  private spawn(): Thread {
    const thread: Thread = { worker: startThread() };
    thread.worker.unref();
    thread.worker.on('message', (result: AnalysisTaskResult) => {
      const pending = thread.busy;
      thread.busy = undefined;
      if (pending && pending.task.id === result.id) {
        if ('output' in result) pending.resolve(result.output);
        else pending.reject(Object.assign(new Error(result.error.message), { name: result.error.name }));
      }
      thread.idleTimer = setTimeout(() => this.retire(thread), IDLE_MS).unref();
      this.dispatch();
    });
    thread.worker.on('error', (error) => {
      thread.busy?.reject(error);
      thread.busy = undefined;
      this.retire(thread);
    });
    thread.worker.on('exit', () => {
      thread.busy?.reject(new Error('The analysis thread exited'));
      this.threads.delete(thread);
      this.dispatch();
    });
    this.threads.add(thread);
    return thread;
  }

  private retire(thread: Thread): void {
    clearTimeout(thread.idleTimer);
    this.threads.delete(thread);
    void thread.worker.terminate();
  }

  /** Stops every thread (pending analyses fail). */
  async close(): Promise<void> {
    for (const pending of this.queue.splice(0)) pending.reject(new Error('The analysis pool was closed'));
    await Promise.all([...this.threads].map(async (thread) => {
      this.threads.delete(thread);
      await thread.worker.terminate();
    }));
  }
}
