import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/database/database.js';
import { silentLogger } from '../support/silent-logger.js';
import { testDatabaseKind } from '../support/test-database.js';

describe.skipIf(testDatabaseKind !== 'postgres')('losing pooled connections (PostgreSQL)', () => {
  it('survives the server closing idle pooled connections, and answers on new ones', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    const applicationName = `alma_connection_loss_${process.pid}`;
    url.searchParams.set('application_name', applicationName);
    const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 3, migrateOnStart: false }, silentLogger);
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      // Several connections open and idle in the pool.
      await Promise.all([database.ping(), database.ping(), database.ping()]);
      expect(database.poolStats()!.idle).toBeGreaterThanOrEqual(1);
      const terminated = await admin.query<{ count: number }>(
        'SELECT count(*)::int AS count FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1) killed',
        [applicationName],
      );
      expect(terminated.rows[0]!.count).toBeGreaterThanOrEqual(1);
      // The pool notices (an error event per idle client) and drops them; this process must not end.
      for (let waited = 0; database.poolStats()!.total > 0 && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(database.poolStats()!.total).toBe(0);
      await database.ping();
      const rows = await database.forOrganization('00000000-0000-4000-8000-000000000000').db.conversation.count();
      expect(rows).toBe(0);
    } finally {
      await admin.end();
      await database.close();
    }
  });
});
