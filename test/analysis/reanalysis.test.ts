import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createWorker } from '../../src/jobs/workers.js';
import { silentLogger } from '../support/silent-logger.js';
import { startTestServer, TEST_JWT_SECRET, type Auth, type TestServer } from '../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ ANALYSIS_PROVIDER: 'local' });
});
afterAll(async () => {
  await server?.stop();
});

const localConfig = loadConfig({ JWT_SECRET: TEST_JWT_SECRET, ANALYSIS_PROVIDER: 'local' });
const SET = 'mutation($input: SetAnalysisConfigInput!) { setAnalysisConfig(input: $input) { version } }';

async function analysedTenant(count: number) {
  const tenant = await server.createTenant();
  const auth: Auth = { apiKey: tenant.apiKey };
  await server.graphql(SET, { input: { dispositionMetrics: [{ identifier: 'user_interested', prompt: 'Was the user interested? yes or no', type: 'BOOLEAN' }] } }, auth);
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const result = await server.graphql(
      'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { conversation { id } } }',
      {
        input: {
          externalId: `re-${index}`,
          channel: 'CHAT',
          startedAt: new Date(Date.UTC(2026, 10, 1 + index)).toISOString(),
          endedAt: new Date(Date.UTC(2026, 10, 1 + index, 0, 5)).toISOString(),
          messages: [
            { sequence: 0, senderRole: 'AGENT', content: 'Are you interested in the premium plan? What is your name?' },
            { sequence: 1, senderRole: 'USER', content: 'Yes, I am interested. My name is Joana.' },
          ],
        },
      },
      auth,
    );
    ids.push(result.data!.ingestConversation.conversation.id);
  }
  const worker = createWorker(localConfig, server.app.database, silentLogger, undefined, { organizationIds: [tenant.organizationId] });
  while ((await worker.runOnce()) > 0);
  return { tenant, auth, ids, worker };
}

const READ = `query($id: UUID!) { conversation(id: $id) { analysisStatus analyses { configVersion supersededAt } dispositionMetrics { identifier value configVersion } } }`;

describe('re-analysis', () => {
  it('reanalyzeConversation uses the config that applies now; the earlier results stay readable', async () => {
    const { auth, ids, worker } = await analysedTenant(1);
    await server.graphql(SET, { input: { dispositionMetrics: [{ identifier: 'user_name', prompt: "What is the user's name?", type: 'STRING' }] } }, auth);
    const queued = await server.graphql('mutation($id: UUID!) { reanalyzeConversation(id: $id) { analysisStatus } }', { id: ids[0] }, auth);
    expect(queued.data!.reanalyzeConversation.analysisStatus).toBe('PENDING');
    expect(await worker.runOnce()).toBe(1);
    const read = await server.graphql(READ, { id: ids[0] }, auth);
    const conversation = read.data!.conversation;
    expect(conversation.analysisStatus).toBe('COMPLETED');
    expect(conversation.dispositionMetrics).toEqual([{ identifier: 'user_name', value: 'Joana', configVersion: 2 }]);
    const versions = conversation.analyses.map((analysis: any) => [analysis.configVersion, analysis.supersededAt === null]);
    expect(versions.filter(([, current]: [number, boolean]) => current).every(([version]: [number, boolean]) => version === 2)).toBe(true);
    expect(versions.filter(([, current]: [number, boolean]) => !current).every(([version]: [number, boolean]) => version === 1)).toBe(true);
    expect(versions.filter(([, current]: [number, boolean]) => !current).length).toBe(6);
  });

  it('a dry run reports what would change and writes nothing', async () => {
    const { auth, ids } = await analysedTenant(2);
    await server.graphql(SET, { input: { dispositionMetrics: [{ identifier: 'user_name', prompt: "What is the user's name?", type: 'STRING' }] } }, auth);
    const dry = await server.graphql(
      'mutation { reanalyzeConversations(dryRun: true) { dryRun batchId matched queued changes { externalId changes { field before after } } } }',
      {},
      auth,
    );
    expect(dry.errors).toBeUndefined();
    const result = dry.data!.reanalyzeConversations;
    expect(result).toMatchObject({ dryRun: true, batchId: null, matched: 2, queued: 0 });
    for (const item of result.changes) {
      expect(item.changes).toContainEqual({ field: 'disposition.user_name', before: null, after: 'Joana' });
    }
    const read = await server.graphql(READ, { id: ids[0] }, auth);
    expect(read.data!.conversation.dispositionMetrics).toEqual([{ identifier: 'user_interested', value: true, configVersion: 1 }]);
    expect(read.data!.conversation.analyses).toHaveLength(6);
  });

  it('a real run queues every match under a batch whose progress can be followed', async () => {
    const { auth, worker } = await analysedTenant(3);
    const run = await server.graphql('mutation { reanalyzeConversations(filter: { channels: [CHAT] }) { dryRun batchId matched queued } }', {}, auth);
    const { batchId } = run.data!.reanalyzeConversations;
    expect(run.data!.reanalyzeConversations).toMatchObject({ dryRun: false, matched: 3, queued: 3 });
    const progress = 'query($id: UUID!) { reanalysisProgress(batchId: $id) { total queued running done failed } }';
    expect((await server.graphql(progress, { id: batchId }, auth)).data!.reanalysisProgress).toEqual({ total: 3, queued: 3, running: 0, done: 0, failed: 0 });
    while ((await worker.runOnce()) > 0);
    expect((await server.graphql(progress, { id: batchId }, auth)).data!.reanalysisProgress).toEqual({ total: 3, queued: 0, running: 0, done: 3, failed: 0 });
  });
});
