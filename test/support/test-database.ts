import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import { openDatabase, type Database, type OpenDatabaseOptions } from '../../src/database/database.js';
import { silentLogger } from './silent-logger.js';
import { withStatementLog } from './statement-log.js';

/** Which database this run targets: PostgreSQL when DATABASE_URL is set, else embedded PGlite. */
export const testDatabaseKind: 'postgres' | 'embedded' = process.env.DATABASE_URL ? 'postgres' : 'embedded';

/**
 * A migrated database for one test file. On PostgreSQL the run shares one database and tests
 * isolate themselves with fresh organizations; embedded, every call gets its own in-memory copy.
 * Every statement it is sent is recorded (statement-log.ts).
 */
export async function openTestDatabase(testOptions: Pick<OpenDatabaseOptions, 'onQuery'> = {}): Promise<Database> {
  // Every statement is also logged for the suite's check that each one routes to one organization.
  const options = { ...testOptions, onQuery: withStatementLog(testOptions.onQuery) };
  const url = process.env.DATABASE_URL;
  if (url) {
    return openDatabase({ kind: 'postgres', url, poolSize: 5, migrateOnStart: false }, silentLogger, options);
  }
  const template = await readFile(inject('embeddedTemplatePath'));
  return openDatabase({ kind: 'embedded', dataDir: ':memory:', migrateOnStart: false }, silentLogger, {
    ...options,
    inMemory: true,
    loadDataDir: new Blob([template]),
  });
}
