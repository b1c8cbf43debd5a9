import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LoadJob {
  url: string;
  connections: number;
  /** Either a duration or a number of requests. */
  durationSeconds?: number;
  amount?: number;
  timeoutSeconds: number;
  headers: Record<string, string>;
  /** Fixed bodies rotate request by request; ingest bodies are built in the child and made unique per request. */
  bodies:
    | { kind: 'fixed'; bodies: string[] }
    | { kind: 'ingest'; seed: number; pool: number; conversationsPerRequest: number; runTag: string };
}

export interface LoadResult {
  connections: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  autocannonAverageRps: number;
  /** Milliseconds. p50/p99 are autocannon's; p95 (which autocannon doesn't report) is from the same responses. */
  latency: { p50: number; p95: number | null; p99: number; mean: number; max: number; samples: number; ownP50: number | null; ownP99: number | null };
  errors: number;
  timeouts: number;
  non2xx: number;
  /** 200s whose body carried GraphQL errors (or, for ingest, a failed item). */
  mismatches: number;
  bytesPerSecond: number;
  sent: number;
  messagesSent: number;
}

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

/** Runs one autocannon job in a child process (see load-worker.ts). */
export function runLoad(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    child.once('message', (message: { ok: true; result: LoadResult } | { ok: false; error: string }) => {
      settled = true;
      if (message.ok) resolve(message.result);
      else reject(new Error(`load generator failed: ${message.error}`));
    });
    child.once('error', (error) => {
      if (!settled) reject(error);
    });
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`load generator exited with ${code} before reporting`));
    });
    child.send(job);
  });
}
