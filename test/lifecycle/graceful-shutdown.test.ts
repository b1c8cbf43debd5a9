import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/database/database.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../analysis/openai/fake-openai-server.js';
import { startProcess, type RunningProcess } from '../support/child-process.js';
import { withFreshPostgresDatabase } from '../support/postgres-admin.js';
import { silentLogger } from '../support/silent-logger.js';
import { testDatabaseKind } from '../support/test-database.js';
import { graphqlClient, TEST_JWT_SECRET } from '../support/test-server.js';
import { until } from '../support/until.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});



/** A fresh database of this run's kind for one child process: a data directory, or a new PostgreSQL database. */
async function withIsolatedDatabase(work: (env: Record<string, string>, open: () => Promise<Database>) => Promise<void>) {
  if (testDatabaseKind === 'postgres') {
    await withFreshPostgresDatabase((url) =>
      work({ DATABASE_URL: url }, () => openDatabase({ kind: 'postgres', url, poolSize: 2, migrateOnStart: false }, silentLogger)),
    );
    return;
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'alma-shutdown-'));
  try {
    await work({ DATABASE_URL: '', DATA_DIR: dataDir }, () => openDatabase({ kind: 'embedded', dataDir, migrateOnStart: false }, silentLogger));
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

function serverEnv(database: Record<string, string>, fake: FakeOpenAIServer): Record<string, string> {
  return {
    ...database,
    // Not `test`: Apollo installs its own signal handlers outside tests unless told not to.
    NODE_ENV: 'development',
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_SECRET: TEST_JWT_SECRET,
    ANALYSIS_PROVIDER: 'openai',
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: fake.baseURL,
    WORKER_POLL_INTERVAL_MS: '50',
    SHUTDOWN_TIMEOUT_MS: '6000',
  };
}

async function listeningPort(server: RunningProcess): Promise<number> {
  const line = await server.waitForLog((entry) => typeof entry.port === 'number' && String(entry.msg).includes('listening'));
  return line.port as number;
}

/** Sends a request's head with `Expect: 100-continue` and resolves once the server has begun handling it. */
async function openRequest(port: number, apiKey: string, body: string) {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(
    `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nx-api-key: ${apiKey}\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nexpect: 100-continue\r\n\r\n`,
  );
  await until(() => (received.includes('100 Continue') ? true : undefined), 'the server to accept the request head');
  return {
    async finish() {
      socket.write(body);
      await ended;
      return received.slice(received.indexOf('\r\n\r\n') + 4);
    },
  };
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('graceful shutdown on SIGTERM', () => {
  it('stops accepting, completes the in-flight request, releases the running job, closes the database and exits 0', async () => {
    const fake = await startFakeOpenAIServer([{ kind: 'hang' }]);
    cleanups.push(() => fake.close());
    await withIsolatedDatabase(async (databaseEnv, openChildDatabase) => {
      const server = startProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], serverEnv(databaseEnv, fake));
      cleanups.push(async () => server.child.exitCode === null && server.child.kill('SIGKILL'));
      const port = await listeningPort(server);
      const client = graphqlClient(`http://127.0.0.1:${port}`);
      const tenant = await client.createTenant();
      const ingested = await client.graphql<{ ingestConversation: { conversation: { id: string } } }>(
        'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { conversation { id } } }',
        {
          input: {
            externalId: 'shutdown-1',
            channel: 'CHAT',
            startedAt: '2026-11-10T10:00:00Z',
            endedAt: '2026-11-10T10:01:00Z',
            messages: [
              { sequence: 0, senderRole: 'AGENT', content: 'Hello! How can I help?' },
              { sequence: 1, senderRole: 'USER', content: 'Just checking my order, thanks.' },
            ],
          },
        },
        tenant.auth,
      );
      const conversationId = ingested.data!.ingestConversation.conversation.id;
      // The worker has claimed the analysis and waits on the model, which never answers.
      await until(() => (fake.requests.length > 0 ? true : undefined), 'the analysis to reach the model');

      const inFlight = await openRequest(port, tenant.apiKey, JSON.stringify({ query: '{ viewer { kind organization { id } } }' }));
      server.child.kill('SIGTERM');
      await server.waitForLog((entry) => entry.msg === 'shutting down');
      // The listener closes right after that line is written; the request in flight is still open.
      await until(async () => ((await refusesConnections(port)) ? true : undefined), 'the listener to close');

      const response = await inFlight.finish();
      expect(response).toContain(JSON.stringify({ data: { viewer: { kind: 'API_KEY', organization: { id: tenant.organizationId } } } }));
      expect(await server.exited).toEqual({ code: 0, signal: null });
      if (databaseEnv.DATA_DIR) expect(existsSync(path.join(databaseEnv.DATA_DIR, 'server.lock'))).toBe(false);

      // Opening the database again works (the lock is gone), and the interrupted job is back in the queue.
      const database = await openChildDatabase();
      try {
        const scope = database.forOrganization(tenant.organizationId);
        const jobs = await scope.db.job.findMany();
        expect(jobs.filter((job) => job.status === 'RUNNING')).toEqual([]);
        const analysisJob = jobs.find((job) => job.dedupeKey === conversationId);
        expect(analysisJob).toMatchObject({ status: 'QUEUED', attempts: 0, lockedBy: null, lockedUntil: null });
        const conversation = await scope.db.conversation.findFirstOrThrow({ where: { id: conversationId } });
        expect(conversation.analysisStatus).toBe('PENDING');
      } finally {
        await database.close();
      }
    });
  });

  it('`npm start` is one server process: a SIGTERM to npm stops it and leaves no orphan', async () => {
    const fake = await startFakeOpenAIServer([{ kind: 'hang' }]);
    cleanups.push(() => fake.close());
    await withIsolatedDatabase(async (databaseEnv) => {
      const npm = startProcess('npm', ['start', '--silent'], serverEnv(databaseEnv, fake));
      cleanups.push(async () => npm.child.exitCode === null && npm.child.kill('SIGKILL'));
      const port = await listeningPort(npm);
      // npm's shell execs the start command: npm's only child is the node process serving the port.
      const children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(npm.child.pid)], { encoding: 'utf8' }).trim().split('\n');
      expect(children).toHaveLength(1);
      const [pid, ...args] = children[0]!.trim().split(/\s+/);
      cleanups.push(async () => isAlive(Number(pid)) && process.kill(Number(pid), 'SIGKILL'));
      expect(args.join(' ')).toMatch(/node --import tsx src\/main\.ts$/);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

      npm.child.kill('SIGTERM');
      expect((await npm.exited).code).toBe(0);
      await until(() => (isAlive(Number(pid)) ? undefined : true), 'the server process to exit');
    });
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
