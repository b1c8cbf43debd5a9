import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logging/logger.js';
import type { SqlSession } from './sql-session.js';

/** prisma/migrations, resolved from this file so it works from any working directory. */
export const defaultMigrationsDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

// The table layout Prisma Migrate itself creates, so `prisma migrate status` agrees with us.
const createMigrationsTable = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export async function readMigrations(migrationsDir = defaultMigrationsDir): Promise<MigrationFile[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
}

async function appliedMigrations(session: SqlSession): Promise<AppliedRow[]> {
  const [exists] = await session.query<{ present: boolean }>(
    `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`,
  );
  if (!exists?.present) return [];
  return session.query<AppliedRow>(
    `SELECT migration_name, checksum FROM "_prisma_migrations"
     WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  );
}

export async function migrationStatus(session: SqlSession, migrationsDir = defaultMigrationsDir): Promise<MigrationStatus> {
  const [files, applied] = await Promise.all([readMigrations(migrationsDir), appliedMigrations(session)]);
  const appliedNames = new Set(applied.map((row) => row.migration_name));
  return {
    applied: files.filter((file) => appliedNames.has(file.name)).map((file) => file.name),
    pending: files.filter((file) => !appliedNames.has(file.name)).map((file) => file.name),
  };
}

/**
 * Applies every pending migration, each in its own transaction, under a cross-process lock so
 * that instances starting together apply each migration exactly once. Returns the names applied.
 */
export async function applyMigrations(
  session: SqlSession,
  logger: Logger,
  migrationsDir = defaultMigrationsDir,
): Promise<string[]> {
  const files = await readMigrations(migrationsDir);
  return session.withMigrationLock(async () => {
    await session.exec(createMigrationsTable);
    const applied = new Map((await appliedMigrations(session)).map((row) => [row.migration_name, row.checksum]));
    for (const [name, checksum] of applied) {
      const file = files.find((candidate) => candidate.name === name);
      if (file && file.checksum !== checksum) {
        throw new Error(
          `Migration ${name} was changed after it was applied (checksum ${checksum} in the database, ` +
            `${file.checksum} on disk). Never edit an applied migration: add a new one.`,
        );
      }
    }
    const appliedNow: string[] = [];
    for (const file of files) {
      if (applied.has(file.name)) continue;
      const startedAt = new Date();
      await session.transaction(async (tx) => {
        await tx.exec(file.sql);
        await tx.query(
          `INSERT INTO "_prisma_migrations"
             (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, NULL, NULL, $4, 1)`,
          [randomUUID(), file.checksum, file.name, startedAt],
        );
      });
      logger.info({ migration: file.name, ms: Date.now() - startedAt.getTime() }, 'migration applied');
      appliedNow.push(file.name);
    }
    return appliedNow;
  });
}
