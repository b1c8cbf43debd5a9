import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { applyMigrations } from '../../src/database/migrator.js';
import { openPostgresSession, pgliteSession } from '../../src/database/sql-session.js';
import { silentLogger } from './silent-logger.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite data directory dump; each embedded test database starts from it. */
    embeddedTemplatePath: string;
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
  const pglite = await PGlite.create();
  await applyMigrations(pgliteSession(pglite), silentLogger);
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const templatePath = path.join(directory, 'template.tar');
  await writeFile(templatePath, Buffer.from(await dump.arrayBuffer()));
  project.provide('embeddedTemplatePath', templatePath);
  return async () => {
    await rm(directory, { recursive: true, force: true });
  };
}
