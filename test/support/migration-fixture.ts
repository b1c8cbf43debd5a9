import { cp, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { defaultMigrationsDir } from '../../src/database/migrator.js';
import { createEmbeddedDatabase } from '../../src/database/embedded-database.js';
import { openPostgresSession, pgliteSession, type SqlSession } from '../../src/database/sql-session.js';
import { withFreshPostgresDatabase } from './postgres-admin.js';
import { testDatabaseKind } from './test-database.js';

/** An empty database of this run's kind (a fresh PostgreSQL database, or an in-memory PGlite), for migration tests. */
export async function withEmptyDatabase<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
  if (testDatabaseKind === 'postgres') {
    return withFreshPostgresDatabase(async (url) => {
      const session = await openPostgresSession(url);
      try {
        return await work(session);
      } finally {
        await session.close();
      }
    });
  }
  const pglite = await createEmbeddedDatabase();
  try {
    return await work(pgliteSession(pglite));
  } finally {
    await pglite.close();
  }
}

/** The migrations older than `migration` (and the lock file), copied into `directory`: the schema a backfill runs over. */
export async function migrationsBefore(migration: string, directory: string): Promise<string> {
  await mkdir(directory, { recursive: true });
  for (const name of await readdir(defaultMigrationsDir)) {
    if ((name < migration && /^\d{14}_/.test(name)) || name === 'migration_lock.toml') {
      await cp(path.join(defaultMigrationsDir, name), path.join(directory, name), { recursive: true });
    }
  }
  return directory;
}
