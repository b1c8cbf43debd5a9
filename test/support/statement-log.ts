import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';

const seen = new Set<string>();

/**
 * Records every distinct SQL statement the test databases of this process are sent, for the
 * suite-wide routability check run at the end (global-setup.ts). One JSON line per statement.
 */
export function recordStatement(sql: string): void {
  if (seen.has(sql)) return;
  seen.add(sql);
  appendFileSync(path.join(inject('statementLogDirectory'), `${process.pid}.jsonl`), `${JSON.stringify(sql)}\n`);
}

/** Combines a test's own statement listener with the recorder. */
export function withStatementLog(onQuery?: (sql: string, params: readonly unknown[]) => void): (sql: string, params: readonly unknown[]) => void {
  return onQuery
    ? (sql, params) => {
        recordStatement(sql);
        onQuery(sql, params);
      }
    : recordStatement;
}
