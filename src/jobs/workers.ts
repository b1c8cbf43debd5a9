import { analysisJobHandler } from '../analysis/analysis-pipeline.js';
import { ANALYZE_CONVERSATION } from '../analysis/analysis-queue.js';
import type { AnalysisProvider } from '../analysis/analysis-provider.js';
import { createAnalysisProvider } from '../analysis/provider-factory.js';
import type { AppConfig } from '../config/config.js';
import type { Database } from '../database/database.js';
import type { Logger } from '../logging/logger.js';
import { DELIVER_WEBHOOK } from '../webhooks/outbound/webhook-outbox.js';
import { webhookDeliveryHandler } from '../webhooks/outbound/webhook-delivery.handler.js';
import { Worker, type WorkerOptions } from './worker.js';

/** The worker with every job kind this service runs (`options` override the configured worker settings, e.g. backoff in tests). */
export function createWorker(
  config: AppConfig,
  database: Database,
  logger: Logger,
  provider: AnalysisProvider = createAnalysisProvider(config.analysis),
  options: WorkerOptions = {},
) {
  return new Worker(
    database,
    logger,
    {
      [ANALYZE_CONVERSATION]: analysisJobHandler(database, provider, logger, options.metrics),
      [DELIVER_WEBHOOK]: webhookDeliveryHandler(database, config.webhooks, logger, { metrics: options.metrics }),
    },
    {
      batchSize: config.worker.concurrency,
      pollIntervalMs: config.worker.pollIntervalMs,
      leaseMs: config.worker.leaseMs,
      organizationIds: config.worker.organizationIds,
      ...options,
    },
  );
}
