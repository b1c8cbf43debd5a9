import type { Logger } from '../logging/logger.js';
import type { SqlSession } from './sql-session.js';

/** How often the embedded database checks for tables whose statistics are out of date. */
export const EMBEDDED_ANALYZE_INTERVAL_MS = 60_000;

/**
 * The tables of the public schema that grew by more than a tenth since their last ANALYZE, or hold
 * rows and were never analyzed: `relpages` is the size in pages ANALYZE last saw, the relation's
 * size the current one.
 */
const GROWN_TABLES = `SELECT c.relname AS table FROM pg_class c
  WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
    AND pg_relation_size(c.oid) / current_setting('block_size')::int > c.relpages * 1.1
  ORDER BY 1`;

/**
 * ANALYZEs the tables that grew since their last ANALYZE (and flushes their GIN indexes' pending
 * lists); resolves to their names. PGlite has no
 * autovacuum: without this the planner never has statistics there, guesses that an organization
 * holds 0.5 % of the messages, and probes every conversation's messages one by one for a text
 * search instead of reading the trigram index (measured: 1.5 s instead of 8 ms on 200,000
 * messages). ANALYZE reads a bounded sample (about 0.5 s for the whole schema at that size).
 */
export async function analyzeGrownTables(session: SqlSession): Promise<string[]> {
  const tables = (await session.query<{ table: string }>(GROWN_TABLES)).map((row) => row.table);
  for (const table of tables) {
    await session.exec(`ANALYZE "${table.replace(/"/g, '""')}"`);
    await session.query(GIN_CLEANUP, [table]);
  }
  return tables;
}

/**
 * Moves a table's GIN indexes' pending entries into the index proper — autovacuum's other job a
 * table's growth calls for. A GIN index (the messages' trigram index) first appends new rows to a
 * pending list (up to gin_pending_list_limit, 4 MB) that every search reads through in full; the
 * planner counts that, and keeps scanning the organization's messages instead.
 */
const GIN_CLEANUP = `SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i
  JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_am am ON am.oid = x.relam
  WHERE am.amname = 'gin' AND i.indrelid = ('public.' || quote_ident($1))::regclass`;

/**
 * Runs `analyzeGrownTables` every EMBEDDED_ANALYZE_INTERVAL_MS (the embedded database's stand-in
 * for autovacuum). Resolves `stop` once a run in progress has finished.
 */
export function scheduleAnalyze(run: () => Promise<string[]>, logger: Logger, intervalMs = EMBEDDED_ANALYZE_INTERVAL_MS) {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = run()
      .then((tables) => {
        if (tables.length) logger.debug({ tables }, 'embedded database statistics refreshed');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'refreshing the embedded database statistics failed'))
      .finally(() => (running = undefined));
  }, intervalMs).unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
