/**
 * `npm run worker`: a background-job worker without the HTTP server, to scale analysis out.
 * Run as many as you like against the same PostgreSQL database (DATABASE_URL); each job runs on
 * one of them at a time. (The embedded database admits one process, so there the server's own
 * worker is the only one.)
 */
import { ConfigError, loadConfig, loadDotEnv } from '../src/config/config.js';
import { openDatabase } from '../src/database/database.js';
import { createWorker } from '../src/jobs/workers.js';
import { exitOnTerminationSignals } from '../src/lifecycle/termination-signals.js';
import { createLogger } from '../src/logging/logger.js';

loadDotEnv();
let config;
try {
  config = loadConfig();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
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
