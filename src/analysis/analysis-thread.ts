/**
 * A worker thread's entry point: runs the local analyzer for the pool in
 * threaded-analysis-provider.ts, so that its CPU-heavy work stays off the server's event loop.
 */
import { parentPort } from 'node:worker_threads';
import type { AnalysisInput } from './analysis-provider.js';
import { LocalAnalysisProvider } from './providers/local/local-provider.js';

export interface AnalysisTask {
  id: number;
  input: AnalysisInput;
}
export type AnalysisTaskResult = { id: number; output: Awaited<ReturnType<LocalAnalysisProvider['analyze']>> } | { id: number; error: { name: string; message: string } };

const provider = new LocalAnalysisProvider();
parentPort!.on('message', (task: AnalysisTask) => {
  provider.analyze(task.input).then(
    (output) => parentPort!.postMessage({ id: task.id, output } satisfies AnalysisTaskResult),
    (error: unknown) =>
      parentPort!.postMessage({
        id: task.id,
        error: { name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) },
      } satisfies AnalysisTaskResult),
  );
});
