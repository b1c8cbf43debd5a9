import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, defaultMigrationsDir, migrationStatus, readMigrations } from '../../src/database/migrator.js';
import { createEmbeddedDatabase } from '../../src/database/embedded-database.js';
import { openPostgresSession, pgliteSession, type SqlSession } from '../../src/database/sql-session.js';
import { diffMigrationsToSchema, schemaPath } from '../../scripts/prisma-schema-engine.js';
import { logLines, runScript } from '../support/child-process.js';
import { withFreshPostgresDatabase } from '../support/postgres-admin.js';
import { silentLogger } from '../support/silent-logger.js';
import { testDatabaseKind } from '../support/test-database.js';

const onPostgres = testDatabaseKind === 'postgres';

/** A fresh, empty database of the kind under test, as a raw session. */
async function withEmptyDatabase<T>(work: (open: () => Promise<SqlSession>) => Promise<T>): Promise<T> {
  if (onPostgres) {
    return withFreshPostgresDatabase((url) => work(() => openPostgresSession(url)));
  }
  const pglite = await createEmbeddedDatabase();
  try {
    return await work(async () => pgliteSession(pglite));
  } finally {
    await pglite.close();
  }
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'alma-migrations-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A migrations directory: the real ones plus extra steps, to test ordering and failures. */
async function migrationsDirWith(extra: Record<string, string>): Promise<string> {
  const directory = await mkdtemp(path.join(scratch, 'dir-'));
  await cp(defaultMigrationsDir, directory, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    await mkdir(path.join(directory, name));
    await writeFile(path.join(directory, name, 'migration.sql'), sql);
  }
  return directory;
}

describe('schema drift', () => {
  it('the migrations produce exactly the schema the Prisma client expects', async () => {
    expect(await diffMigrationsToSchema()).toBe('');
  });

  it('a schema edit without a migration is detected', async () => {
    const schema = await readFile(schemaPath, 'utf8');
    const edited = schema.replace('  summary               String?', '  summary               String?\n  priority              Int?');
    expect(edited).not.toBe(schema);
    const script = await diffMigrationsToSchema({ schema: edited });
    expect(script).toContain('ALTER TABLE "conversations" ADD COLUMN     "priority" INTEGER');
  });
});

describe(`migrations on ${testDatabaseKind}`, () => {
  it('apply every migration once; running again applies nothing', async () => {
    await withEmptyDatabase(async (open) => {
      const session = await open();
      try {
        const files = await readMigrations();
        expect(await applyMigrations(session, silentLogger)).toEqual(files.map((file) => file.name));
        expect(await applyMigrations(session, silentLogger)).toEqual([]);
        const rows = await session.query<{ migration_name: string; checksum: string }>(
          'SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name',
        );
        expect(rows).toEqual(files.map((file) => ({ migration_name: file.name, checksum: file.checksum })));
        expect(await migrationStatus(session)).toEqual({ applied: files.map((file) => file.name), pending: [] });
        const [organizations] = await session.query<{ present: boolean }>(`SELECT to_regclass('organizations') IS NOT NULL AS present`);
        expect(organizations?.present).toBe(true);
      } finally {
        await session.close();
      }
    });
  });

  it('roll a failing migration back entirely and leave it pending', async () => {
    const directory = await migrationsDirWith({
      '29990101000000_broken': 'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;',
    });
    await withEmptyDatabase(async (open) => {
      const session = await open();
      try {
        await expect(applyMigrations(session, silentLogger, directory)).rejects.toThrow(/no_such_table/);
        const [table] = await session.query<{ present: boolean }>(`SELECT to_regclass('half_done') IS NOT NULL AS present`);
        expect(table?.present).toBe(false);
        expect((await migrationStatus(session, directory)).pending).toEqual(['29990101000000_broken']);
      } finally {
        await session.close();
      }
    });
  });

  it('refuse to continue when an applied migration was edited', async () => {
    const directory = await migrationsDirWith({ '29990101000000_extra': 'CREATE TABLE extra_table (id int);' });
    await withEmptyDatabase(async (open) => {
      const session = await open();
      try {
        await applyMigrations(session, silentLogger, directory);
        await writeFile(path.join(directory, '29990101000000_extra', 'migration.sql'), 'CREATE TABLE extra_table (id bigint);');
        await expect(applyMigrations(session, silentLogger, directory)).rejects.toThrow(/was changed after it was applied/);
      } finally {
        await session.close();
      }
    });
  });
});

describe.runIf(onPostgres)('concurrent migrators on PostgreSQL', () => {
  it('several connections migrating at once apply each migration exactly once', async () => {
    // A slow step widens the window in which the migrators overlap.
    const directory = await migrationsDirWith({
      '29990101000000_slow': 'SELECT pg_sleep(0.3);\nCREATE TABLE slow_table (id int);',
      '29990101000001_after': 'ALTER TABLE slow_table ADD COLUMN label text;',
    });
    await withFreshPostgresDatabase(async (url) => {
      const sessions = await Promise.all([1, 2, 3].map(() => openPostgresSession(url)));
      try {
        const results = await Promise.all(sessions.map((session) => applyMigrations(session, silentLogger, directory)));
        const all = (await readMigrations(directory)).map((file) => file.name);
        expect(results.flat().sort()).toEqual(all);
        const rows = await sessions[0]!.query<{ migration_name: string; count: number }>(
          'SELECT migration_name, count(*)::int AS count FROM "_prisma_migrations" GROUP BY migration_name ORDER BY migration_name',
        );
        expect(rows).toEqual(all.map((name) => ({ migration_name: name, count: 1 })));
      } finally {
        await Promise.all(sessions.map((session) => session.close()));
      }
    });
  });

  it('several processes running `npm run db:migrate` at once apply each migration exactly once', async () => {
    await withFreshPostgresDatabase(async (url) => {
      const runs = await Promise.all([1, 2, 3].map(() => runScript(['src/main.ts', 'migrate'], { DATABASE_URL: url })));
      for (const run of runs) expect(run.code, run.stderr).toBe(0);
      const appliedByProcess = runs.flatMap((run) =>
        logLines(run.stdout).flatMap((line) => (Array.isArray(line.appliedNow) ? (line.appliedNow as string[]) : [])),
      );
      const all = (await readMigrations()).map((file) => file.name);
      expect(appliedByProcess.sort()).toEqual(all);
      const session = await openPostgresSession(url);
      try {
        const [row] = await session.query<{ count: number }>('SELECT count(*)::int AS count FROM "_prisma_migrations"');
        expect(row?.count).toBe(all.length);
      } finally {
        await session.close();
      }
    });
  });
});
