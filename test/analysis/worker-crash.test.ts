import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createWorker } from '../../src/jobs/workers.js';
import { repositoryRoot } from '../support/child-process.js';
import { silentLogger } from '../support/silent-logger.js';
import { testDatabaseKind } from '../support/test-database.js';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../support/test-server.js';
import { startFakeOpenAIServer } from './openai/fake-openai-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LEASE_MS = 1500;
const localConfig = loadConfig({ JWT_SECRET: TEST_JWT_SECRET, ANALYSIS_PROVIDER: 'local', JOB_LEASE_MS: String(LEASE_MS) });

async function completedConversation() {
  const tenant = await server.createTenant();
  const result = await server.graphql(
    'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { conversation { id } } }',
    {
      input: {
        externalId: 'crash-1',
        channel: 'CHAT',
        startedAt: '2026-11-10T10:00:00Z',
        endedAt: '2026-11-10T10:01:00Z',
        messages: [
          { sequence: 0, senderRole: 'AGENT', content: 'Hello! How can I help?' },
          { sequence: 1, senderRole: 'USER', content: 'My order arrived, thanks, everything is fine.' },
        ],
      },
    },
    { apiKey: tenant.apiKey },
  );
  return { tenant, conversationId: result.data!.ingestConversation.conversation.id as string };
}

async function expectAnalysedExactlyOnce(organizationId: string, conversationId: string) {
  const scope = server.app.database.forOrganization(organizationId);
  const conversation = await scope.db.conversation.findFirstOrThrow({ where: { id: conversationId } });
  expect(conversation.analysisStatus).toBe('COMPLETED');
  const analyses = await scope.db.analysis.findMany({ where: { conversationId } });
  expect(new Set(analyses.map((analysis) => analysis.runId)).size).toBe(1);
  expect(analyses.every((analysis) => analysis.supersededAt === null)).toBe(true);
  const [job] = await scope.db.job.findMany({ where: { dedupeKey: conversationId } });
  expect(job).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
}

describe('a worker dying in the middle of an analysis', () => {
  it.runIf(testDatabaseKind === 'postgres')('a worker process killed mid-job: after its lease another worker completes the analysis exactly once', async () => {
    const fake = await startFakeOpenAIServer([{ kind: 'hang' }]);
    const { tenant, conversationId } = await completedConversation();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'worker'], {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        JWT_SECRET: TEST_JWT_SECRET,
        ANALYSIS_PROVIDER: 'openai',
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: fake.baseURL,
        JOB_LEASE_MS: String(LEASE_MS),
        WORKER_POLL_INTERVAL_MS: '50',
        WORKER_ORGANIZATION_IDS: tenant.organizationId,
        LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    });
    try {
      // The child has claimed the job and is waiting on the model: kill it there.
      for (let tries = 0; tries < 300 && fake.requests.length === 0; tries += 1) await wait(50);
      expect(fake.requests.length).toBe(1);
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const scope = server.app.database.forOrganization(tenant.organizationId);
      expect((await scope.db.job.findFirstOrThrow({ where: { dedupeKey: conversationId } })).status).toBe('RUNNING');

      const rescuer = createWorker(localConfig, server.app.database, silentLogger, undefined, { organizationIds: [tenant.organizationId] });
      expect(await rescuer.runOnce()).toBe(0); // the dead worker's lease still holds
      await wait(LEASE_MS + 200);
      expect(await rescuer.runOnce()).toBe(1);
      await expectAnalysedExactlyOnce(tenant.organizationId, conversationId);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await fake.close();
    }
  });

  it('a claim abandoned by a dead worker is run again after its lease, exactly once', async () => {
    const { tenant, conversationId } = await completedConversation();
    const [claimed] = await server.app.database.jobs.claim({ workerId: 'died-right-here', kinds: ['analyze_conversation'], limit: 10, leaseMs: LEASE_MS, organizationIds: [tenant.organizationId] });
    expect(claimed?.dedupeKey).toBe(conversationId);
    const rescuer = createWorker(localConfig, server.app.database, silentLogger, undefined, { organizationIds: [tenant.organizationId] });
    expect(await rescuer.runOnce()).toBe(0);
    await wait(LEASE_MS + 200);
    expect(await rescuer.runOnce()).toBe(1);
    await expectAnalysedExactlyOnce(tenant.organizationId, conversationId);
  });
});
