import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Database } from '../../src/database/database.js';
import { CROSS_ORGANIZATION_MARKER, DISTRIBUTION_COLUMN, isRoutable, LOCAL_TABLES, REFERENCE_TABLES, unroutableStatements } from '../support/distribution.js';
import { openTestDatabase } from '../support/test-database.js';

/**
 * The schema holds to what a distributed PostgreSQL (Citus, distributed by the organization)
 * requires. The other half — every statement the suite sends routes to one organization — is
 * checked over the whole run by the global setup's teardown (test/support/global-setup.ts).
 */
let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** Catalog rows, read through a scope (the only raw SQL door; it binds an organization as $1). */
async function catalog<Row>(sql: string): Promise<Row[]> {
  return database.forOrganization(randomUUID()).query<Row>(`${sql.replace('$WHERE', 'WHERE $1::uuid IS NOT NULL AND')}`);
}

describe('a schema ready to distribute by organization', () => {
  it('every table is a tenant table (with the distribution column), a reference table or a local one', async () => {
    const tables = await catalog<{ table: string; tenant: boolean }>(
      `SELECT c.relname AS table, EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = '${DISTRIBUTION_COLUMN}') AS tenant
       FROM pg_class c $WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace ORDER BY 1`,
    );
    const others = tables.filter((row) => !row.tenant).map((row) => row.table);
    expect(others.sort()).toEqual([...REFERENCE_TABLES, ...LOCAL_TABLES].sort());
    expect(tables.filter((row) => row.tenant).length).toBeGreaterThanOrEqual(19);
  });

  it('every primary key and unique index of a tenant table includes the organization', async () => {
    const indexes = await catalog<{ table: string; index: string; carries: boolean }>(
      `SELECT c.relname AS table, i.relname AS index,
              coalesce((SELECT bool_or(a.attname = '${DISTRIBUTION_COLUMN}') FROM unnest(x.indkey) AS n(attnum)
                 JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = n.attnum), false) AS carries
       FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
       $WHERE x.indisunique AND c.relnamespace = 'public'::regnamespace
         AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = '${DISTRIBUTION_COLUMN}')`,
    );
    expect(indexes.length).toBeGreaterThanOrEqual(25);
    expect(indexes.filter((row) => !row.carries).map((row) => `${row.table}.${row.index}`)).toEqual([]);
  });

  it('every foreign key between tenant tables joins on the organization; others point at reference tables', async () => {
    const keys = await catalog<{ table: string; target: string; from: string[]; to: string[] }>(
      `SELECT k.conrelid::regclass::text AS table, k.confrelid::regclass::text AS target,
              (SELECT array_agg(a.attname::text ORDER BY n.ord) FROM unnest(k.conkey) WITH ORDINALITY AS n(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = n.attnum) AS from,
              (SELECT array_agg(a.attname::text ORDER BY n.ord) FROM unnest(k.confkey) WITH ORDINALITY AS n(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = n.attnum) AS to
       FROM pg_constraint k $WHERE k.contype = 'f' AND k.connamespace = 'public'::regnamespace`,
    );
    const unquote = (name: string) => name.replace(/"/g, '');
    const reference = new Set<string>(REFERENCE_TABLES);
    const wrong = keys.filter((key) => {
      if (reference.has(unquote(key.target))) return false; // distributed → reference is allowed
      const at = key.from.indexOf(DISTRIBUTION_COLUMN);
      return at < 0 || key.to[at] !== DISTRIBUTION_COLUMN;
    });
    expect(keys.length).toBeGreaterThanOrEqual(30);
    expect(wrong.map((key) => `${key.table} → ${key.target} (${key.from.join(', ')})`)).toEqual([]);
  });
});

describe('the statement log of the suite', () => {
  it('records what the test databases are sent', async () => {
    const marker = `distribution-probe-${randomUUID()}`;
    await database.forOrganization(randomUUID()).query(`SELECT $1::uuid AS organization, '${marker}' AS probe`);
    const directory = inject('statementLogDirectory');
    const logged = (await Promise.all((await readdir(directory)).map((file) => readFile(path.join(directory, file), 'utf8')))).join('');
    expect(logged).toContain(marker);
  });

  it('tells statements routed to one organization from those that are not', () => {
    const tenant = ['conversations', 'messages', 'jobs'];
    const routable = [
      'SELECT "public"."conversations"."uuid" FROM "public"."conversations" WHERE ("public"."conversations"."alma_internal_organization" = $1 AND "public"."conversations"."uuid" = $2)',
      'SELECT "public"."messages"."uuid" FROM "public"."messages" WHERE ("public"."messages"."alma_internal_organization","public"."messages"."uuid") IN (($1,$2),($3,$4))',
      'INSERT INTO "public"."messages" ("alma_internal_organization","uuid") VALUES ($1,$2)',
      'WITH src AS (SELECT 1) INSERT INTO messages (alma_internal_organization, uuid) SELECT $1, id FROM src',
      'INSERT INTO messages AS m (alma_internal_organization, "uuid") SELECT $1, r.id FROM src r ON CONFLICT DO NOTHING',
      `${CROSS_ORGANIZATION_MARKER} UPDATE jobs SET status = 'RUNNING' WHERE status = 'QUEUED'`,
    ];
    const unroutable = [
      'SELECT count(*) FROM "public"."conversations" WHERE "public"."conversations"."status" = $1',
      "UPDATE jobs SET status = 'RUNNING' WHERE (alma_internal_organization, uuid) IN (SELECT alma_internal_organization, uuid FROM jobs)",
      'SELECT m.content FROM messages m JOIN conversations c ON c.uuid = m.conversation_uuid',
    ];
    expect(routable.map(isRoutable)).toEqual(routable.map(() => true));
    expect(unroutable.map(isRoutable)).toEqual([false, false, false]);
    // A statement on reference tables only is not judged.
    expect(unroutableStatements(['SELECT 1 FROM organizations WHERE uuid = $1'], tenant)).toEqual([]);
    expect(unroutableStatements([...routable, ...unroutable], tenant).map((verdict) => verdict.tables)).toEqual([['conversations'], ['jobs'], ['conversations', 'messages']]);
  });
});
