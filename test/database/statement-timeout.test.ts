import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDomainError } from '../../src/database/database-errors.js';
import { openDatabase, type Database } from '../../src/database/database.js';
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
