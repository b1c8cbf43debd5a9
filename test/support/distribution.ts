/**
 * What a distributed PostgreSQL (Citus, distributed by `alma_internal_organization`) asks of the
 * schema and of every statement the application sends. The catalog test
 * (test/database/distribution-ready.test.ts) and the statement log of the whole suite
 * (global-setup.ts) both judge against these rules; the README's scaling section gives the DDL.
 */

/** The distribution column of every tenant table. */
export const DISTRIBUTION_COLUMN = 'alma_internal_organization';

/** Small platform tables copied to every node (Citus reference tables): read by id, never by organization. */
export const REFERENCE_TABLES = ['organizations', 'authorization'] as const;

/** Tables that belong to no tenant and stay on the coordinator. */
export const LOCAL_TABLES = ['_prisma_migrations'] as const;

/**
 * Statements that span organizations on purpose carry this comment (queue claims of the
 * background worker and the webhook dispatcher). Under Citus they run as multi-shard statements.
 */
export const CROSS_ORGANIZATION_MARKER = '/* alma:cross-organization */';

export interface StatementVerdict {
  statement: string;
  tables: string[];
}

/** Tenant tables a statement touches (quoted Prisma form or bare raw-SQL form). */
export function tenantTablesOf(statement: string, tenantTables: readonly string[]): string[] {
  return tenantTables.filter((table) =>
    new RegExp(`(?:"public"\\."${table}"|\\b(?:FROM|JOIN|INTO|UPDATE)\\s+"?${table}"?(?:\\s|\\(|$))`, 'i').test(statement),
  );
}

/**
 * A statement on tenant tables is routable to one organization's shard when it binds the
 * distribution column to a parameter (`= $1`, `IN ($1)`, a `(organization, uuid) IN ((…))` tuple),
 * or inserts it as a column (every insert of a statement, CTEs included); otherwise it must say that it
 * spans organizations.
 */
export function isRoutable(statement: string): boolean {
  if (statement.includes(CROSS_ORGANIZATION_MARKER)) return true;
  const column = `"?${DISTRIBUTION_COLUMN}"?`;
  // `IN (NULL)`: Prisma's relation load with no parent keys, which reads nothing.
  const bound = new RegExp(`${column}\\s*(?:=|IN)\\s*\\(?\\s*(?:\\$\\d|NULL\\))`, 'i');
  const tuple = new RegExp(`\\(\\s*(?:"[^"]+"\\.)*${column}\\s*,[^)]*\\)\\s*IN\\s*\\(\\s*\\(\\s*\\$\\d`, 'i');
  const inserted = new RegExp(`\\bINSERT\\s+INTO\\s+[^(\\s]+(?:\\s+AS\\s+\\w+)?\\s*\\(\\s*(?:[^)]*,\\s*)?${column}`, 'i');
  return bound.test(statement) || tuple.test(statement) || inserted.test(statement);
}

/** The statements of a run that a distributed PostgreSQL could not route to one organization. */
export function unroutableStatements(statements: Iterable<string>, tenantTables: readonly string[]): StatementVerdict[] {
  const verdicts: StatementVerdict[] = [];
  for (const statement of statements) {
    const tables = tenantTablesOf(statement, tenantTables);
    if (tables.length && !isRoutable(statement)) verdicts.push({ statement, tables });
  }
  return verdicts;
}
