import { analysisJobHandler } from '../analysis/analysis-pipeline.js';
import { ANALYZE_CONVERSATION } from '../analysis/analysis-queue.js';
import type { AnalysisProvider } from '../analysis/analysis-provider.js';
import { createAnalysisProvider } from '../analysis/provider-factory.js';
import type { AppConfig } from '../config/config.js';
import type { Database } from '../database/database.js';
import type { Logger } from '../logging/logger.js';
import { Worker } from './worker.js';

/** The worker with every job kind this service runs. */
export function createWorker(config: AppConfig, database: Database, logger: Logger, provider: AnalysisProvider = createAnalysisProvider(config.analysis)) {
  return new Worker(
    database,
    logger,
    { [ANALYZE_CONVERSATION]: analysisJobHandler(database, provider, logger) },
    { batchSize: config.worker.concurrency, pollIntervalMs: config.worker.pollIntervalMs, leaseMs: config.worker.leaseMs },
  );
}
