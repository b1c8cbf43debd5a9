import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/database/database.js';
import type { Job } from '../../src/database/job-store.js';
import { backoffDelay, Worker, type JobHandler } from '../../src/jobs/worker.js';
import { createOrganization } from '../support/fixtures.js';
import { silentLogger } from '../support/silent-logger.js';
import { openTestDatabase, testDatabaseKind } from '../support/test-database.js';

let database: Database;
let second: Database;
beforeAll(async () => {
  database = await openTestDatabase();
  // On PostgreSQL a second pool plays a second process; PGlite has one session anyway.
  second = testDatabaseKind === 'postgres' ? await openTestDatabase() : database;
});
afterAll(async () => {
  if (second !== database) await second?.close();
  await database?.close();
});

async function enqueue(organizationId: string, kind: string, count: number, maxAttempts = 5) {
  const scope = database.forOrganization(organizationId);
  await scope.db.job.createMany({
    data: Array.from({ length: count }, (_, index) => ({ organizationId, kind, payload: { index }, maxAttempts })),
  });
}

async function jobsOf(organizationId: string) {
  return database.forOrganization(organizationId).db.job.findMany({ orderBy: { createdAt: 'asc' } });
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the durable job queue', () => {
  it('several workers run every job exactly once', async () => {
    const organization = await createOrganization(database);
    const kind = `count-${organization.id}`;
    await enqueue(organization.id, kind, 30);
    const runs: number[] = [];
    const handler: JobHandler = {
      async run(job) {
        await wait(5);
        runs.push((job.payload as { index: number }).index);
      },
    };
    const workers = [new Worker(database, silentLogger, { [kind]: handler }, { batchSize: 3 }), new Worker(second, silentLogger, { [kind]: handler }, { batchSize: 3 })];
    for (;;) {
      const claimed = await Promise.all(workers.map((worker) => worker.runOnce()));
      if (claimed.every((count) => count === 0)) break;
    }
    expect(runs.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, index) => index));
    const jobs = await jobsOf(organization.id);
    expect(jobs.every((job) => job.status === 'SUCCEEDED' && job.attempts === 1 && job.finishedAt !== null)).toBe(true);
  });

  it('a job held by a dead worker is claimed again after its lease', async () => {
    const organization = await createOrganization(database);
    const kind = `lease-${organization.id}`;
    await enqueue(organization.id, kind, 1);
    const [taken] = await database.jobs.claim({ workerId: 'dead-worker', kinds: [kind], limit: 1, leaseMs: 60_000 });
    expect(taken?.status).toBe('RUNNING');
    // While the lease holds, nobody else gets it.
    expect(await second.jobs.claim({ workerId: 'other', kinds: [kind], limit: 1, leaseMs: 60_000 })).toEqual([]);
    // The lease running out, without waiting for it (a short lease raced a busy machine).
    await database.forOrganization(organization.id).db.job.updateMany({ data: { lockedUntil: new Date(Date.now() - 1) } });
    let ranBy: string | undefined;
    const worker = new Worker(second, silentLogger, { [kind]: { run: async () => void (ranBy = 'rescuer') } }, { workerId: 'rescuer' });
    expect(await worker.runOnce()).toBe(1);
    expect(ranBy).toBe('rescuer');
    const [job] = await jobsOf(organization.id);
    expect(job).toMatchObject({ status: 'SUCCEEDED', attempts: 2, lockedBy: null });
    // The dead worker coming back cannot complete what it no longer holds.
    expect(await database.jobs.complete(taken as Job, 'dead-worker')).toBe(false);
  });

  it('retries failures with exponential backoff, then fails for good with the reason', async () => {
    const organization = await createOrganization(database);
    const kind = `flaky-${organization.id}`;
    await enqueue(organization.id, kind, 1, 3);
    const finalFailures: string[] = [];
    const handler: JobHandler = {
      run: async () => {
        throw new Error('provider unavailable');
      },
      onFinalFailure: async (_job, reason) => void finalFailures.push(reason),
    };
    const worker = new Worker(database, silentLogger, { [kind]: handler }, { backoffBaseMs: 5_000, backoffMaxMs: 60_000 });
    const scope = database.forOrganization(organization.id);
    // Time passing, without waiting for it: the job becomes due now.
    const makeDue = async () => scope.db.job.updateMany({ data: { runAt: new Date(Date.now() - 1) } });
    expect(await worker.runOnce()).toBe(1);
    let [job] = await jobsOf(organization.id);
    expect(job).toMatchObject({ status: 'QUEUED', attempts: 1, lastError: 'provider unavailable' });
    const firstDelay = job!.runAt.getTime() - job!.updatedAt.getTime();
    expect(firstDelay).toBeGreaterThanOrEqual(4_000);
    expect(firstDelay).toBeLessThanOrEqual(6_000);
    expect(await worker.runOnce()).toBe(0); // not due yet
    await makeDue();
    expect(await worker.runOnce()).toBe(1);
    [job] = await jobsOf(organization.id);
    expect(job).toMatchObject({ status: 'QUEUED', attempts: 2 });
    const secondDelay = job!.runAt.getTime() - job!.updatedAt.getTime();
    expect(secondDelay).toBeGreaterThanOrEqual(9_000); // doubled
    expect(secondDelay).toBeLessThanOrEqual(11_000);
    await makeDue();
    expect(await worker.runOnce()).toBe(1);
    [job] = await jobsOf(organization.id);
    expect(job).toMatchObject({ status: 'FAILED', attempts: 3, lastError: 'provider unavailable' });
    expect(finalFailures).toEqual(['provider unavailable']);
    expect(backoffDelay(1, 100, 1_000)).toBe(100);
    expect(backoffDelay(3, 100, 1_000)).toBe(400);
    expect(backoffDelay(9, 100, 1_000)).toBe(1_000);
  });

  it('does not retry a permanent failure', async () => {
    const organization = await createOrganization(database);
    const kind = `permanent-${organization.id}`;
    await enqueue(organization.id, kind, 1, 5);
    const handler: JobHandler = {
      run: async () => {
        throw new Error('model output invalid');
      },
      isPermanent: () => true,
    };
    await new Worker(database, silentLogger, { [kind]: handler }).runOnce();
    const [job] = await jobsOf(organization.id);
    expect(job).toMatchObject({ status: 'FAILED', attempts: 1, lastError: 'model output invalid' });
  });

  it('runs in the background until stopped', async () => {
    const organization = await createOrganization(database);
    const kind = `background-${organization.id}`;
    const done: number[] = [];
    const worker = new Worker(database, silentLogger, { [kind]: { run: async (job) => void done.push((job.payload as { index: number }).index) } }, { pollIntervalMs: 20 });
    worker.start();
    await enqueue(organization.id, kind, 3);
    for (let tries = 0; tries < 100 && done.length < 3; tries += 1) await wait(20);
    await worker.stop();
    expect(done.sort()).toEqual([0, 1, 2]);
  });

  it('stopping: a job that finishes before the deadline completes; one still running at the deadline is released', async () => {
    const organization = await createOrganization(database);
    const kind = `stop-${organization.id}`;
    await enqueue(organization.id, kind, 2);
    const released: string[] = [];
    let started = 0;
    let finishQuick: () => void = () => undefined;
    const handler: JobHandler = {
      // Job 0 ends when the test lets it; job 1 ends only when it is aborted.
      run: (job, signal) => {
        started += 1;
        return (job.payload as { index: number }).index === 0
          ? new Promise<void>((resolve) => (finishQuick = resolve))
          : new Promise<void>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
      },
      onRelease: async (job) => void released.push(job.id),
    };
    const worker = new Worker(database, silentLogger, { [kind]: handler }, { batchSize: 2, pollIntervalMs: 20 });
    worker.start();
    for (let tries = 0; tries < 500 && started < 2; tries += 1) await wait(20);
    expect(started).toBe(2);
    const stopped = worker.stop(Date.now() + 300);
    finishQuick();
    await stopped;
    const jobs = await jobsOf(organization.id);
    const byIndex = (index: number) => jobs.find((job) => (job.payload as { index: number }).index === index);
    expect(byIndex(0)).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
    expect(byIndex(1)).toMatchObject({ status: 'QUEUED', attempts: 0, lockedBy: null, lockedUntil: null, lastError: null });
    expect(released).toEqual([byIndex(1)!.id]);
  });

  it('wakes on new work: a job queued while the worker sleeps runs long before its next poll', async () => {
    const organization = await createOrganization(database);
    const kind = `wake-${organization.id}`;
    const done: number[] = [];
    // Polling once a minute: only the notification of the jobs trigger can start the job in time.
    const worker = new Worker(second, silentLogger, { [kind]: { run: async (job) => void done.push((job.payload as { index: number }).index) } }, { pollIntervalMs: 60_000 });
    worker.start();
    try {
      // Let it find nothing and fall asleep, then queue work (through the other connection on PostgreSQL).
      await wait(300);
      await enqueue(organization.id, kind, 2);
      for (let tries = 0; tries < 400 && done.length < 2; tries += 1) await wait(50);
      expect(done.sort()).toEqual([0, 1]);
    } finally {
      await worker.stop();
    }
  });
});
