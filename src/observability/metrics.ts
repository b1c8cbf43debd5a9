import type { QueueSnapshot } from '../database/job-store.js';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Connections of the database pool (PostgreSQL); absent on the embedded database. */
export interface PoolSnapshot {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

export interface MetricSources {
  queue?: () => Promise<QueueSnapshot[]>;
  pool?: () => PoolSnapshot | undefined;
}

// Seconds: from 5 ms (a planned read) to a minute (a long analysis or a slow webhook receiver).
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The process's Prometheus metrics (one registry per running app, so tests can start several).
 * Label values are bounded: routes are the server's route table (unmatched paths are `unmatched`),
 * operation names are the client's but capped in length and count (`other` past the cap).
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();

  readonly httpRequests = new Histogram({
    name: 'alma_http_request_duration_seconds',
    help: 'HTTP requests by route, method and status, from the first byte read to the last byte written',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly graphqlOperations = new Histogram({
    name: 'alma_graphql_operation_duration_seconds',
    help: 'GraphQL operations by operation name and type; outcome is ok or error (any error in the response)',
    labelNames: ['operation', 'type', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly graphqlErrors = new Counter({
    name: 'alma_graphql_errors_total',
    help: 'Errors in GraphQL responses by operation name and extensions.code',
    labelNames: ['operation', 'code'] as const,
    registers: [this.registry],
  });

  readonly jobs = new Histogram({
    name: 'alma_job_duration_seconds',
    help: 'Background job attempts by kind and outcome (completed, retry, failed, released)',
    labelNames: ['kind', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly analyses = new Histogram({
    name: 'alma_analysis_duration_seconds',
    help: "A provider's analysis of one conversation (the provider call, not the queue wait), by provider and outcome (ok, error)",
    labelNames: ['provider', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'alma_webhook_deliveries_total',
    help: 'Outbound webhook delivery attempts by outcome: succeeded, failed (will be retried), gave_up (last attempt failed), skipped (endpoint deleted or disabled)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly subscriptionConnections = new Gauge({
    name: 'alma_subscription_connections',
    help: 'Open GraphQL WebSocket connections (graphql-ws on /graphql)',
    registers: [this.registry],
  });

  readonly subscriptions = new Gauge({
    name: 'alma_subscriptions',
    help: 'Active GraphQL subscriptions (listening for changes)',
    registers: [this.registry],
  });

  readonly subscriptionDisconnects = new Counter({
    name: 'alma_subscription_disconnects_total',
    help: 'WebSocket connections closed by the server, by reason: unauthorized (4401), credential_invalid (4403), rate_limited (4429), slow_consumer (1013), shutdown (1001), internal_error (4500)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor(sources: MetricSources = {}) {
    collectDefaultMetrics({ register: this.registry, prefix: 'alma_' });
    const { queue, pool } = sources;
    if (queue) {
      let snapshot: Promise<QueueSnapshot[]> | undefined;
      // Both gauges read one query per scrape.
      const read = () => (snapshot ??= queue().finally(() => setImmediate(() => (snapshot = undefined))));
      new Gauge({
        name: 'alma_jobs',
        help: 'Background jobs in the queue by kind and status (all organizations)',
        labelNames: ['kind', 'status'] as const,
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const row of await read()) this.set({ kind: row.kind, status: row.status }, row.count);
        },
      });
      new Gauge({
        name: 'alma_jobs_oldest_age_seconds',
        help: 'Age of the oldest job by kind and status: since it became due (QUEUED, not counting retries not yet due) or was claimed (RUNNING)',
        labelNames: ['kind', 'status'] as const,
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const row of await read()) this.set({ kind: row.kind, status: row.status }, row.oldestAgeSeconds);
        },
      });
    }
    if (pool) {
      new Gauge({
        name: 'alma_database_pool_connections',
        help: 'Database pool connections by state: total (open), idle, waiting (clients queued for one), max (configured)',
        labelNames: ['state'] as const,
        registers: [this.registry],
        collect() {
          this.reset();
          const now = pool();
          if (!now) return;
          for (const [state, value] of Object.entries(now)) this.set({ state }, value);
        },
      });
    }
  }

  /** A bounded label value for a client-chosen operation name. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    const label = name.slice(0, 64);
    if (this.operationNames.has(label)) return label;
    if (this.operationNames.size >= 200) return 'other';
    this.operationNames.add(label);
    return label;
  }

  /** The Prometheus text exposition. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** Seconds elapsed since `start` (a `process.hrtime.bigint()` reading). */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}
