import { openDatabase } from '../database/database.js';
import { createWorker } from '../jobs/workers.js';
import { exitOnTerminationSignals } from '../lifecycle/termination-signals.js';
import { createLogger } from '../logging/logger.js';
import { loadCommandConfig } from './command-config.js';

/**
 * A background-job worker without the HTTP server, to scale analysis out. Run as many as you
 * like against the same PostgreSQL database (DATABASE_URL); each job runs on one of them at a
 * time. (The embedded database admits one process, so there the server's own worker is the only one.)
 */
export async function workerCommand(): Promise<void> {
  const config = loadCommandConfig();
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config.database, logger);
  const worker = createWorker(config, database, logger);
  worker.start();
  logger.info({ workerId: worker.workerId, provider: config.analysis.provider }, 'worker started');
  exitOnTerminationSignals(
    logger,
    async () => {
      await worker.stop(Date.now() + config.shutdownTimeoutMs);
      await database.close();
    },
    config.shutdownTimeoutMs,
  );
}
