/**
 * `npm run db:migrate`: applies pending migrations and exits — the production release step
 * (run it before rolling out instances started with MIGRATE_ON_START=false). Safe to run from
 * several machines at once: a PostgreSQL advisory lock serializes them.
 */
import { ConfigError, loadConfig, loadDotEnv } from '../src/config/config.js';
import { openDatabase } from '../src/database/database.js';
import { createLogger } from '../src/logging/logger.js';

try {
  loadDotEnv();
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openDatabase({ ...config.database, migrateOnStart: false }, logger);
  try {
    const applied = await database.migrate();
    const { applied: all } = await database.migrationStatus();
    logger.info({ appliedNow: applied, total: all.length }, applied.length ? 'migrations applied' : 'database already up to date');
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
