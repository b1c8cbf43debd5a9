import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDomainError } from '../../src/database/database-errors.js';
import { openDatabase, type Database } from '../../src/database/database.js';
import { createEmbeddedDatabase } from '../../src/database/embedded-database.js';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../support/silent-logger.js';
import { testDatabaseKind } from '../support/test-database.js';

describe.skipIf(testDatabaseKind !== 'postgres')('DATABASE_STATEMENT_TIMEOUT_MS on the API sessions (PostgreSQL)', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ kind: 'postgres', url: process.env.DATABASE_URL!, poolSize: 2, migrateOnStart: false, statementTimeoutMs: 300 }, silentLogger);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('defaults to 30 s and is configurable', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://localhost/x', JWT_SECRET: 'x'.repeat(32) });
    expect(config.database).toMatchObject({ kind: 'postgres', statementTimeoutMs: 30_000 });
    expect(loadConfig({ DATABASE_URL: 'postgresql://localhost/x', DATABASE_STATEMENT_TIMEOUT_MS: '0' }).database).toMatchObject({ statementTimeoutMs: 0 });
    expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '-1' })).toThrow(/DATABASE_STATEMENT_TIMEOUT_MS/);
  });

  it('cancels a statement that runs past it, answered as BAD_USER_INPUT, and the session stays usable', async () => {
    const scope = database.forOrganization(randomUUID());
    const [setting] = await scope.query<{ timeout: string }>("SELECT current_setting('statement_timeout') AS timeout, $1::uuid AS organization");
    expect(setting!.timeout).toBe('300ms');
    const failure = await scope.query('SELECT pg_sleep(30), $1::uuid').then(() => undefined, (error: unknown) => error);
    expect(toDomainError(failure)).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('statement timeout') });
    const [after] = await scope.query<{ one: number }>('SELECT 1 AS one, $1::uuid AS organization');
    expect(after!.one).toBe(1);
  });
});

describe.skipIf(testDatabaseKind !== 'embedded')('the embedded database (PGlite) has no statement timeout', () => {
  // README, Bounded work: PGlite accepts statement_timeout and never enforces it (no timer signal
  // in WebAssembly). When this fails, PGlite has started enforcing it: set DATABASE_STATEMENT_TIMEOUT_MS
  // on the embedded database too.
  it('a statement runs past statement_timeout and ends without an error', async () => {
    const pglite = await createEmbeddedDatabase();
    try {
      await pglite.exec('SET statement_timeout = 20');
      expect((await pglite.query<{ statement_timeout: string }>('SHOW statement_timeout')).rows[0]!.statement_timeout).toBe('20ms');
      // Half a second of sleep, 25 times the timeout: PostgreSQL would cancel it (57014).
      const { rows } = await pglite.query<{ finished: number }>('SELECT 1 AS finished FROM pg_sleep(0.5)');
      expect(rows).toEqual([{ finished: 1 }]);
    } finally {
      await pglite.close();
    }
  });
});
