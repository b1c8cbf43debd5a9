import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Database } from '../database/database.js';
import type { Job } from '../database/job-store.js';
import type { Logger } from '../logging/logger.js';
import { secondsSince, type Metrics } from '../observability/metrics.js';
import { inSpan, SpanKind } from '../observability/tracing.js';

/** How a job kind is run. Throw to fail the attempt; `isPermanent` errors are not retried. */
export interface JobHandler {
  run(job: Job, signal: AbortSignal): Promise<void>;
  /** After the last attempt failed (or a permanent failure): record it where users see it. */
  onFinalFailure?(job: Job, reason: string): Promise<void>;
  /** Errors that retrying cannot fix (default: none). */
  isPermanent?(error: unknown): boolean;
  /** A provider's own hint for when to retry (e.g. Retry-After), in ms. */
  retryAfterMs?(error: unknown): number | undefined;
  /** The job was interrupted by shutdown and went back to the queue: undo what `run` marked as in progress. */
  onRelease?(job: Job): Promise<void>;
}

export interface WorkerOptions {
  workerId?: string;
  pollIntervalMs?: number;
  leaseMs?: number;
  batchSize?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Only these organizations' jobs (a dedicated worker); every organization's when absent. */
  organizationIds?: string[];
  /** Job attempt durations by kind and outcome. */
  metrics?: Metrics;
}

/** The abort reason handed to jobs still running when the worker's stop deadline passes. */
export class WorkerStoppedError extends Error {
  constructor() {
    super('The worker is shutting down');
    this.name = 'WorkerStoppedError';
  }
}

/** Exponential backoff: base · 2^(attempt-1), capped. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * Runs background jobs from the durable queue. Several workers (in several processes) may run
 * against one database: claims are exclusive, a lease is renewed while a job runs, and a job
 * whose worker died is claimed again once its lease expires.
 */
export class Worker {
  readonly workerId: string;
  private readonly options: Required<Omit<WorkerOptions, 'workerId' | 'organizationIds' | 'metrics'>> & { organizationIds?: string[] };
  private readonly metrics: Metrics | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private workPending = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
    private readonly handlers: Record<string, JobHandler>,
    options: WorkerOptions = {},
  ) {
    this.workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.options = {
      pollIntervalMs: options.pollIntervalMs ?? 2_000,
      leaseMs: options.leaseMs ?? 60_000,
      batchSize: options.batchSize ?? 2,
      backoffBaseMs: options.backoffBaseMs ?? 2_000,
      backoffMaxMs: options.backoffMaxMs ?? 10 * 60_000,
      organizationIds: options.organizationIds,
    };
    this.metrics = options.metrics;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      // Woken when jobs are queued; the poll interval is the fallback (retries coming due later).
      const unsubscribe = await this.database.onJobsQueued(() => this.signalWork()).catch((error: unknown) => {
        this.logger.warn({ err: error, workerId: this.workerId }, 'no job notifications; polling only');
        return () => undefined;
      });
      try {
        await this.runUntilStopped();
      } finally {
        unsubscribe();
      }
    })();
  }

  /**
   * Keeps up to `batchSize` jobs running: claims as many as there are free slots (one statement
   * for all of them) whenever a job finishes or new work is announced, and sleeps when there is
   * nothing to do.
   */
  private async runUntilStopped(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    while (this.running) {
      let claimed: Job[] = [];
      const free = this.options.batchSize - inFlight.size;
      if (free > 0) {
        try {
          claimed = await this.claim(free);
        } catch (error) {
          this.logger.error({ err: error, workerId: this.workerId }, 'worker poll failed');
        }
      }
      for (const job of claimed) {
        const running: Promise<void> = this.execute(job).finally(() => {
          inFlight.delete(running);
          this.signalWork();
        });
        inFlight.add(running);
      }
      if (!this.running) break;
      // Claimed a full batch: claim again at once if a slot is free; otherwise wait for a slot or new work.
      if (claimed.length === 0 || inFlight.size >= this.options.batchSize) await this.sleep(inFlight.size > 0 ? 60_000 : this.options.pollIntervalMs);
    }
    await Promise.all(inFlight);
  }

  /** New work or a free slot: end the current sleep, or skip the next one if the worker is busy. */
  private signalWork(): void {
    this.workPending = true;
    this.wake?.();
  }

  /**
   * Stops claiming and waits for the jobs in hand to finish. At `deadline` (epoch ms) the jobs
   * still running are aborted and released to the queue, so none stays RUNNING under a lease
   * that nobody renews.
   */
  async stop(deadline?: number): Promise<void> {
    this.running = false;
    this.wake?.();
    const timer =
      deadline === undefined ? undefined : setTimeout(() => this.abort.abort(new WorkerStoppedError()), Math.max(0, deadline - Date.now()));
    try {
      await this.loop;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Claims one batch and runs it; returns how many jobs it ran. */
  async runOnce(): Promise<number> {
    const jobs = await this.claim(this.options.batchSize);
    await Promise.all(jobs.map((job) => this.execute(job)));
    return jobs.length;
  }

  private claim(limit: number): Promise<Job[]> {
    return this.database.jobs.claim({
      workerId: this.workerId,
      kinds: Object.keys(this.handlers),
      limit,
      leaseMs: this.options.leaseMs,
      organizationIds: this.options.organizationIds,
    });
  }

  /** One attempt of a job, in a span of its own, measured by outcome. */
  private async execute(job: Job): Promise<void> {
    const started = process.hrtime.bigint();
    const outcome = await inSpan(
      `job ${job.kind}`,
      { kind: SpanKind.CONSUMER, attributes: { 'alma.job.kind': job.kind, 'alma.job.attempt': job.attempts, 'alma.organization_id': job.organizationId } },
      async (span) => {
        const result = await this.attempt(job);
        span.setAttribute('alma.job.outcome', result);
        return result;
      },
    );
    this.metrics?.jobs.observe({ kind: job.kind, outcome }, secondsSince(started));
  }

  private async attempt(job: Job): Promise<'completed' | 'retry' | 'failed' | 'released' | 'lost'> {
    const handler = this.handlers[job.kind]!;
    const log = this.logger.child({ jobId: job.id, kind: job.kind, organizationId: job.organizationId, attempt: job.attempts });
    const heartbeat = setInterval(() => {
      this.database.jobs.heartbeat(job, this.workerId, this.options.leaseMs).catch((error: unknown) => log.warn({ err: error }, 'lease renewal failed'));
    }, Math.max(50, Math.floor(this.options.leaseMs / 3)));
    try {
      await handler.run(job, this.abort.signal);
      if (await this.database.jobs.complete(job, this.workerId)) return 'completed';
      log.warn('job finished after its lease was taken over');
      return 'lost';
    } catch (error) {
      if (this.abort.signal.aborted) {
        // Interrupted, not failed: the attempt is given back and the job is due again at once.
        if (await this.database.jobs.release(job, this.workerId)) await handler.onRelease?.(job);
        log.info('job released at shutdown');
        return 'released';
      }
      const reason = error instanceof Error ? error.message : String(error);
      const permanent = handler.isPermanent?.(error) ?? false;
      const delay = Math.max(
        backoffDelay(job.attempts, this.options.backoffBaseMs, this.options.backoffMaxMs),
        handler.retryAfterMs?.(error) ?? 0,
      );
      const status = await this.database.jobs.fail(job, this.workerId, reason, permanent ? null : new Date(Date.now() + delay));
      log.warn({ err: error, status, retryInMs: status === 'QUEUED' ? delay : undefined }, 'job attempt failed');
      if (status === 'FAILED') await handler.onFinalFailure?.(job, reason);
      return status === 'QUEUED' ? 'retry' : status === 'FAILED' ? 'failed' : 'lost';
    } finally {
      clearInterval(heartbeat);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.workPending) {
      this.workPending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.workPending = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
