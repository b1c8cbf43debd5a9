import type { TenantScope } from '../database/tenant-scope.js';
import type { PlannedStatement } from './read-planner.js';

/** Runs a planned statement for the scope's organization ($1); its one value is the response (or null). */
export async function readPlanned(scope: TenantScope, statement: PlannedStatement): Promise<unknown> {
  const rows = await scope.queryNamed<{ result: unknown }>(statement.name, statement.text, statement.params);
  return rows[0]?.result ?? null;
}
