import http from 'node:http';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { withFreshPostgresDatabase } from '../support/postgres-admin.js';
import { testDatabaseKind } from '../support/test-database.js';
import { authHeaders, graphqlClient, TEST_JWT_SECRET, type Auth } from '../support/test-server.js';
import { until } from '../support/until.js';

const SEARCH = 'query($text: String) { conversations(first: 5, filter: { text: $text }) { totalCount edges { node { externalId } } } }';
// The app's statements running in the test's own database (pg_stat_activity cuts a statement's text
// at 1 kB, before Prisma's search condition: the observer and the locker are the only other sessions).
const RUNNING = `SELECT pid FROM pg_stat_activity
  WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> $1 AND state = 'active'`;


/** A GraphQL POST over its own socket; resolves once the request is sent, with a way to drop the connection. */
function sendAbandonable(url: string, body: unknown, auth: Auth) {
  const payload = JSON.stringify(body);
  const request = http.request(`${url}/graphql`, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...authHeaders(auth) },
  });
  const answered = new Promise<string>((resolve, reject) => {
    request.on('response', (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve(text));
    });
    request.on('error', reject);
  });
  answered.catch(() => undefined); // dropped on purpose below
  request.end(payload);
  return { answered, drop: () => request.destroy() };
}

describe.skipIf(testDatabaseKind !== 'postgres')('a request abandoned by its client has its statement cancelled (PostgreSQL)', () => {
  it.each([
    ['read planner', {}],
    ['resolvers (Prisma)', { GRAPHQL_READ_PLANNER: 'false' }],
  ])('%s: the search waiting on a lock is cancelled when the client drops the connection; the server answers after', async (_name, env) => {
    await withFreshPostgresDatabase(async (databaseUrl) => {
      const logs: Array<{ level: number; msg: string; status?: number }> = [];
      const logger = createLogger('debug', { write: (line: string) => void logs.push(JSON.parse(line)) });
      // No statement timeout: only the cancel can end the waiting statement (or the test's timeout fails it).
      const config = loadConfig({
        PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, WORKER_ENABLED: 'false',
        DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '3', DATABASE_STATEMENT_TIMEOUT_MS: '0', ...env,
      });
      const app = await startApp(config, logger);
      const url = `http://127.0.0.1:${app.port}`;
      const locker = new pg.Client({ connectionString: databaseUrl });
      const observer = new pg.Client({ connectionString: databaseUrl });
      await Promise.all([locker.connect(), observer.connect()]);
      try {
        const client = graphqlClient(url);
        const { auth } = await client.createTenant();
        const ingested = await client.graphql(
          'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { created } }',
          { input: { externalId: 'locked-out', channel: 'CHAT', messages: [{ sequence: 0, senderRole: 'USER', content: 'Where is my order?' }] } },
          auth,
        );
        expect(ingested.errors).toBeUndefined();

        const lockerPid = (await locker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE messages IN ACCESS EXCLUSIVE MODE');
        const request = sendAbandonable(url, { query: SEARCH, variables: { text: 'my order' } }, auth);
        // The search's SELECT waits on the lock.
        const pid = await until(async () => {
          const { rows } = await observer.query<{ pid: number }>(`${RUNNING} AND wait_event_type = 'Lock' AND query ~* '^\\s*SELECT'`, [lockerPid]);
          return rows[0]?.pid;
        }, 'the search to wait on the lock');
        request.drop();
        // Cancelled while the lock is still held: nothing else could end it.
        await until(async () => ((await observer.query(`${RUNNING} AND pid = $2`, [lockerPid, pid])).rowCount === 0 ? true : undefined), 'the statement to be cancelled');
        const [stillLocked] = (await observer.query<{ held: boolean }>(
          "SELECT count(*) > 0 AS held FROM pg_locks WHERE relation = 'messages'::regclass AND mode = 'AccessExclusiveLock' AND granted",
        )).rows;
        expect(stillLocked!.held).toBe(true);
        await locker.query('ROLLBACK');

        const after = await client.graphql(SEARCH, { text: 'my order' }, auth);
        expect(after.errors).toBeUndefined();
        expect(after.data).toEqual({ conversations: { totalCount: 1, edges: [{ node: { externalId: 'locked-out' } }] } });
        const abandoned = await until(async () => logs.find((line) => line.msg === 'request' && line.status === 499), 'the abandoned request in the access log');
        expect(abandoned).toMatchObject({ status: 499 });
        // Coded, never an internal error: nothing logged at error level.
        expect(logs.filter((line) => line.level >= 50)).toEqual([]);
      } finally {
        await locker.query('ROLLBACK').catch(() => undefined);
        await Promise.all([locker.end(), observer.end()]);
        await app.stop();
      }
    });
  }, 30_000);
});
