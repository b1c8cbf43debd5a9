import { openDatabase } from '../database/database.js';
import { createLogger } from '../logging/logger.js';
import { loadCommandConfig } from './command-config.js';

/**
 * Applies pending migrations and exits — the production release step (run it before rolling out
 * instances started with MIGRATE_ON_START=false). Safe to run from several machines at once: a
 * PostgreSQL advisory lock serializes them.
 */
export async function migrateCommand(): Promise<void> {
  const config = loadCommandConfig();
  const logger = createLogger(config.logLevel);
  try {
    const database = await openDatabase({ ...config.database, migrateOnStart: false }, logger);
    try {
      const applied = await database.migrate();
      const { applied: all } = await database.migrationStatus();
      logger.info({ appliedNow: applied, total: all.length }, applied.length ? 'migrations applied' : 'database already up to date');
    } finally {
      await database.close();
    }
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
}
