import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';

/**
 * The smallest raw-SQL surface the migrator needs, over either database. Application code uses
 * the Prisma-based data layer instead; this exists for DDL and advisory locks.
 */
export interface SqlSession {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements (no parameters). */
  exec(script: string): Promise<void>;
  /** Runs `work` in one transaction on this session. */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Serializes migrators across processes; a no-op where only one process can connect. */
  withMigrationLock<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// Prisma's own migration advisory lock id, so the Prisma CLI and this migrator exclude each other.
const MIGRATION_LOCK_ID = 72707369;

export async function openPostgresSession(connectionString: string): Promise<SqlSession> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  const session: SqlSession = {
    async query<Row>(text: string, params: unknown[] = []) {
      return (await client.query(text, params)).rows as Row[];
    },
    async exec(script) {
      await client.query(script);
    },
    async transaction(work) {
      await client.query('BEGIN');
      try {
        const result = await work(session);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
    async withMigrationLock(work) {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
      }
    },
    async close() {
      await client.end();
    },
  };
  return session;
}

/** A session over an already open PGlite (single connection; the data-dir lock keeps others out). */
export function pgliteSession(pglite: PGlite): SqlSession {
  const wrap = (runner: Pick<PGlite, 'query' | 'exec'>, inTransaction: boolean): SqlSession => ({
    async query<Row>(text: string, params: unknown[] = []) {
      return (await runner.query<Row>(text, params)).rows;
    },
    async exec(script) {
      await runner.exec(script);
    },
    async transaction(work) {
      if (inTransaction) return work(wrap(runner, true));
      return pglite.transaction((tx) => work(wrap(tx, true)));
    },
    async withMigrationLock(work) {
      return work();
    },
    async close() {
      // The owner of the PGlite instance closes it.
    },
  });
  return wrap(pglite, false);
}
