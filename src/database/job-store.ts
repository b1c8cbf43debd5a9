import type { PrismaClient } from '../generated/prisma/client.js';
import type { Job } from '../generated/prisma/client.js';

export type { Job };

/** What the queue holds for one job kind and status (QUEUED or RUNNING). */
export interface QueueSnapshot {
  kind: string;
  status: string;
  count: number;
  /** Seconds since the oldest due job became due (QUEUED) or the oldest running one was claimed (RUNNING); 0 when none. */
  oldestAgeSeconds: number;
}

export interface ClaimOptions {
  workerId: string;
  kinds: string[];
  limit: number;
  leaseMs: number;
  /** Only these organizations' jobs (a dedicated worker); all when absent. */
  organizationIds?: string[];
}

/**
 * The queue's cross-organization operations, for workers. Enqueueing is tenant-scoped (through
 * `TenantScope.db.job`, inside the transaction that makes the work necessary); claiming spans
 * every organization, so it lives here, in the data layer, and hands each job's organization to
 * the handler, which works through that organization's scope.
 */
export class JobStore {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Claims up to `limit` due jobs: queued ones whose time has come, and running ones whose lease
   * expired (their worker died). SKIP LOCKED lets concurrent workers claim disjoint jobs.
   */
  async claim({ workerId, kinds, limit, leaseMs, organizationIds }: ClaimOptions): Promise<Job[]> {
    // The one statement that spans organizations on purpose (marked for the suite's routability check).
    const rows = await this.prisma.$queryRawUnsafe<Array<{ organization: string; uuid: string }>>(
      `/* alma:cross-organization */ UPDATE jobs SET status = 'RUNNING', locked_by = $1, locked_until = now() + ($2 || ' milliseconds')::interval,
              attempts = attempts + 1, updated_at = now()
       WHERE (alma_internal_organization, uuid) IN (
         SELECT alma_internal_organization, uuid FROM jobs
         WHERE kind IN (SELECT jsonb_array_elements_text($3::jsonb))
           AND ($5::jsonb IS NULL OR alma_internal_organization IN (SELECT jsonb_array_elements_text($5::jsonb)::uuid))
           AND ((status = 'QUEUED' AND run_at <= now()) OR (status = 'RUNNING' AND locked_until < now()))
         ORDER BY run_at
         LIMIT $4
         FOR UPDATE SKIP LOCKED)
       RETURNING alma_internal_organization AS organization, uuid`,
      workerId,
      String(leaseMs),
      JSON.stringify(kinds),
      limit,
      organizationIds ? JSON.stringify(organizationIds) : null,
    );
    if (rows.length === 0) return [];
    return this.prisma.job.findMany({
      where: { OR: rows.map((row) => ({ organizationId: row.organization, id: row.uuid })) },
      orderBy: { runAt: 'asc' },
    });
  }

  /** The queue's depth and age per kind and status, over every organization (the metrics' scrape). */
  async snapshot(): Promise<QueueSnapshot[]> {
    const rows = await this.prisma.$queryRawUnsafe<Array<{ kind: string; status: string; count: number; age: number | null }>>(
      `/* alma:cross-organization */ SELECT kind, status::text AS status, count(*)::int AS count,
              EXTRACT(EPOCH FROM now() - min(CASE WHEN status = 'QUEUED' THEN CASE WHEN run_at <= now() THEN run_at END ELSE updated_at END))::float8 AS age
       FROM jobs WHERE status IN ('QUEUED', 'RUNNING') GROUP BY kind, status ORDER BY kind, status`,
    );
    return rows.map((row) => ({ kind: row.kind, status: row.status, count: row.count, oldestAgeSeconds: Math.max(0, row.age ?? 0) }));
  }

  /** Extends the lease of a job this worker still holds; false when it lost it. */
  async heartbeat(job: Job, workerId: string, leaseMs: number): Promise<boolean> {
    const updated = await this.prisma.$executeRawUnsafe(
      `UPDATE jobs SET locked_until = now() + ($4 || ' milliseconds')::interval
       WHERE alma_internal_organization = $1 AND uuid = $2 AND locked_by = $3 AND status = 'RUNNING'`,
      job.organizationId,
      job.id,
      workerId,
      String(leaseMs),
    );
    return updated === 1;
  }

  /** Marks a job done, if this worker still holds it. */
  async complete(job: Job, workerId: string): Promise<boolean> {
    const updated = await this.prisma.job.updateMany({
      where: { organizationId: job.organizationId, id: job.id, lockedBy: workerId, status: 'RUNNING' },
      data: { status: 'SUCCEEDED', finishedAt: new Date(), lockedBy: null, lockedUntil: null, lastError: null },
    });
    return updated.count === 1;
  }

  /** Puts a job this worker holds back in the queue, due now, without counting the interrupted attempt. */
  async release(job: Job, workerId: string): Promise<boolean> {
    const updated = await this.prisma.job.updateMany({
      where: { organizationId: job.organizationId, id: job.id, lockedBy: workerId, status: 'RUNNING' },
      data: { status: 'QUEUED', attempts: { decrement: 1 }, runAt: new Date(), lockedBy: null, lockedUntil: null },
    });
    return updated.count === 1;
  }

  /**
   * Records a failure: retried at `retryAt` while attempts remain (and the failure is retryable),
   * else FAILED for good. Returns the job's new status.
   */
  async fail(job: Job, workerId: string, error: string, retryAt: Date | null): Promise<'QUEUED' | 'FAILED' | 'LOST'> {
    const final = retryAt === null || job.attempts >= job.maxAttempts;
    const updated = await this.prisma.job.updateMany({
      where: { organizationId: job.organizationId, id: job.id, lockedBy: workerId, status: 'RUNNING' },
      data: final
        ? { status: 'FAILED', lastError: error, finishedAt: new Date(), lockedBy: null, lockedUntil: null }
        : { status: 'QUEUED', lastError: error, runAt: retryAt, lockedBy: null, lockedUntil: null },
    });
    if (updated.count !== 1) return 'LOST';
    return final ? 'FAILED' : 'QUEUED';
  }
}
