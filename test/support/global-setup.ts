import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { applyMigrations } from '../../src/database/migrator.js';
import { createEmbeddedDatabase } from '../../src/database/embedded-database.js';
import { openPostgresSession, pgliteSession } from '../../src/database/sql-session.js';
import { DISTRIBUTION_COLUMN, unroutableStatements } from './distribution.js';
import { silentLogger } from './silent-logger.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite data directory dump; each embedded test database starts from it. */
    embeddedTemplatePath: string;
    /** Where test processes record the SQL statements they send (statement-log.ts). */
    statementLogDirectory: string;
  }
}

/**
 * Once per run: migrate the PostgreSQL test database (when DATABASE_URL is set) and build the
 * migrated PGlite template, so test files start from a ready schema in about half a second.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const session = await openPostgresSession(url);
    try {
      await applyMigrations(session, silentLogger);
    } finally {
      await session.close();
    }
  }
  const directory = await mkdtemp(path.join(os.tmpdir(), 'alma-template-'));
  const pglite = await createEmbeddedDatabase();
  await applyMigrations(pgliteSession(pglite), silentLogger);
  const tenantTables = (
    await pglite.query<{ table: string }>(
      `SELECT c.relname AS table FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = $1
       WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace ORDER BY 1`,
      [DISTRIBUTION_COLUMN],
    )
  ).rows.map((row) => row.table);
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const templatePath = path.join(directory, 'template.tar');
  await writeFile(templatePath, Buffer.from(await dump.arrayBuffer()));
  project.provide('embeddedTemplatePath', templatePath);
  const statementLog = path.join(directory, 'statements');
  await mkdir(statementLog);
  project.provide('statementLogDirectory', statementLog);
  return async () => {
    // Every statement the suite sent on tenant tables must be routable to one organization's shard
    // (a distributed PostgreSQL's requirement), unless it says it spans organizations.
    const statements = new Set<string>();
    for (const file of await readdir(statementLog)) {
      for (const line of (await readFile(path.join(statementLog, file), 'utf8')).split('\n')) if (line) statements.add(JSON.parse(line) as string);
    }
    const unroutable = unroutableStatements(statements, tenantTables);
    await rm(directory, { recursive: true, force: true });
    if (unroutable.length) {
      // vitest reports an error thrown here but still exits 0: fail the run explicitly.
      process.exitCode = 1;
      throw new Error(
        `${unroutable.length} SQL statement(s) on tenant tables do not bind ${DISTRIBUTION_COLUMN} to a parameter ` +
          `(mark deliberate cross-organization statements, see test/support/distribution.ts):\n` +
          unroutable.map((verdict) => `- [${verdict.tables.join(', ')}] ${verdict.statement.replace(/\s+/g, ' ').slice(0, 400)}`).join('\n'),
      );
    }
  };
}
