import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueAnalysis } from '../../src/analysis/analysis-queue.js';
import { loadConfig } from '../../src/config/config.js';
import { createWorker } from '../../src/jobs/workers.js';
import { silentLogger } from '../support/silent-logger.js';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../support/test-server.js';
import { startFakeOpenAIServer } from './openai/fake-openai-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const localConfig = loadConfig({ JWT_SECRET: TEST_JWT_SECRET, ANALYSIS_PROVIDER: 'local', JOB_LEASE_MS: '500' });

const READ = `query($id: UUID!) { conversation(id: $id) {
  status analysisStatus analysisError analysisAttempts analyzedAt summary outcome outcomeReason topics sentiment { score label }
  analyses { analysisType origin provider configVersion supersededAt contextStartIndex contextEndIndex }
  dispositionMetrics { identifier type value confidence reasoning configVersion }
  events { eventType eventSubtype payload source confidence }
  followUps { score followUpDate }
  messages { edges { node { sequence sentimentScore } } }
  metrics { totalUserTurns totalAgentTurns avgResponseTimeMs totalFunctionsCalled uniqueAgentsUsed ticketsCreatedCount overallSuccessScore }
} }`;

function salesCall(externalId: string) {
  const at = (seconds: number) => new Date(Date.UTC(2026, 10, 10, 14, 0, seconds)).toISOString();
  return {
    externalId,
    channel: 'VOICE',
    startedAt: at(0),
    endedAt: at(60),
    agents: [{ externalId: 'leo', name: 'Leo' }],
    contacts: [{ externalId: 'maria' }],
    messages: [
      { sequence: 0, senderRole: 'AGENT', agentExternalId: 'leo', content: 'Hi, this is Leo from Acme. Are you interested in our premium plan?', sentAt: at(0) },
      { sequence: 1, senderRole: 'USER', contactExternalId: 'maria', content: 'Yes, I am interested. My name is Maria.', sentAt: at(10) },
      { sequence: 2, senderRole: 'AGENT', agentExternalId: 'leo', content: 'Great! It costs $99 per month and I can give you 10% off.', sentAt: at(14) },
      { sequence: 3, senderRole: 'USER', contactExternalId: 'maria', content: 'Perfect, thank you so much, that is great.', sentAt: at(20) },
    ],
    actions: [
      { agentExternalId: 'leo', messageSequence: 2, functionName: 'get_price', status: 'SUCCESS' },
      { agentExternalId: 'leo', messageSequence: 2, functionName: 'apply_discount', status: 'FAIL' },
    ],
    tickets: [{ ticketId: 'INC1', action: 'CREATED' }],
  };
}

async function ingestCompleted(auth: { apiKey: string }, externalId: string) {
  const result = await server.graphql(
    'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { conversation { id analysisStatus } } }',
    { input: salesCall(externalId) },
    auth,
  );
  expect(result.data!.ingestConversation.conversation.analysisStatus).toBe('PENDING');
  return result.data!.ingestConversation.conversation.id as string;
}

describe('post-conversation analysis', () => {
  it('a completed conversation is analysed by the worker and the results are written with the config version', async () => {
    const tenant = await server.createTenant();
    const auth = { apiKey: tenant.apiKey };
    await server.graphql(
      'mutation($input: SetAnalysisConfigInput!) { setAnalysisConfig(input: $input) { version } }',
      {
        input: {
          summaryPrompt: 'Summarize this sales call briefly.',
          dispositionMetrics: [
            { identifier: 'user_interested', prompt: 'Was the user interested? yes, no, or unclear', type: 'ENUM', choices: ['yes', 'no', 'unclear'] },
            { identifier: 'user_name', prompt: "What is the user's name?", type: 'STRING' },
          ],
        },
      },
      auth,
    );
    const id = await ingestCompleted(auth, 'analysed-1');
    const worker = createWorker(localConfig, server.app.database, silentLogger, undefined, { organizationIds: [tenant.organizationId] });
    expect(await worker.runOnce()).toBe(1);
    expect(await worker.runOnce()).toBe(0); // exactly one job was queued

    const read = await server.graphql(READ, { id }, auth);
    expect(read.errors).toBeUndefined();
    const conversation = read.data!.conversation;
    expect(conversation).toMatchObject({ status: 'COMPLETED', analysisStatus: 'COMPLETED', analysisError: null, analysisAttempts: 1 });
    expect(conversation.analyzedAt).not.toBeNull();
    expect(conversation.summary).toEqual(expect.any(String));
    // "Perfect, thank you so much, that is great" is politeness, which the analyzer discounts: NEUTRAL.
    expect(conversation.sentiment.label).toBe('NEUTRAL');
    expect(conversation.analyses.map((analysis: any) => analysis.analysisType).sort()).toEqual([
      'DISPOSITION_METRICS',
      'EVENT_DETECTION',
      'OUTCOME',
      'SENTIMENT_ANALYSIS',
      'SUMMARY',
      'TOPICS_DETECTED',
    ]);
    expect(conversation.analyses.every((analysis: any) => analysis.configVersion === 1 && analysis.origin === 'local' && analysis.supersededAt === null)).toBe(true);
    const byIdentifier = Object.fromEntries(conversation.dispositionMetrics.map((metric: any) => [metric.identifier, metric]));
    expect(byIdentifier.user_interested).toMatchObject({ type: 'ENUM', value: 'yes', configVersion: 1 });
    expect(byIdentifier.user_name).toMatchObject({ type: 'STRING', value: 'Maria' });
    expect(conversation.events.find((event: any) => event.eventType === 'CUSTOMER_INFORMATION_DETECTION')).toMatchObject({
      eventSubtype: 'NAME',
      payload: { VALUE: 'Maria' },
      source: 'DETECTED',
    });
    expect(conversation.messages.edges.every((edge: any) => typeof edge.node.sentimentScore === 'number')).toBe(true);
    // Seed 000 Call Metric, by hand: 2 user and 2 agent turns; responses 10 → 14 s (4 s); 2 calls, one failed;
    // 1 agent; 1 ticket created; success = mean(outcome part, 1/2 of calls).
    expect(conversation.metrics).toMatchObject({
      totalUserTurns: 2,
      totalAgentTurns: 2,
      avgResponseTimeMs: 4000,
      totalFunctionsCalled: 2,
      uniqueAgentsUsed: 1,
      ticketsCreatedCount: 1,
    });
  });

  it('re-running replaces the results atomically and keeps the earlier version readable', async () => {
    const tenant = await server.createTenant();
    const auth = { apiKey: tenant.apiKey };
    const id = await ingestCompleted(auth, 'analysed-2');
    const worker = createWorker(localConfig, server.app.database, silentLogger, undefined, { organizationIds: [tenant.organizationId] });
    await worker.runOnce();
    const scope = server.app.database.forOrganization(tenant.organizationId);
    expect(await scope.transaction((tx) => enqueueAnalysis(tx, id))).toBe(true);
    expect(await scope.transaction((tx) => enqueueAnalysis(tx, id))).toBe(false); // already queued
    expect(await worker.runOnce()).toBe(1);
    const read = await server.graphql(READ, { id }, auth);
    const analyses = read.data!.conversation.analyses;
    expect(analyses).toHaveLength(12);
    expect(analyses.filter((analysis: any) => analysis.supersededAt === null)).toHaveLength(6);
    const current = read.data!.conversation.events.filter((event: any) => event.source === 'DETECTED');
    const detectedRows = await scope.db.event.count({ where: { conversationId: id, source: 'DETECTED' } });
    expect(detectedRows).toBe(current.length * 2); // the first run's events are kept, superseded
  });

  it('after the last attempt the conversation shows FAILED with the reason', async () => {
    const fake = await startFakeOpenAIServer([{ kind: 'status', status: 401, message: 'invalid api key' }]);
    try {
      const tenant = await server.createTenant();
      const auth = { apiKey: tenant.apiKey };
      const id = await ingestCompleted(auth, 'doomed-1');
      const openaiConfig = loadConfig({ JWT_SECRET: TEST_JWT_SECRET, ANALYSIS_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL });
      const worker = createWorker(openaiConfig, server.app.database, silentLogger, undefined, { organizationIds: [tenant.organizationId] });
      expect(await worker.runOnce()).toBe(1);
      const read = await server.graphql(READ, { id }, auth);
      expect(read.data!.conversation.analysisStatus).toBe('FAILED');
      expect(read.data!.conversation.analysisError).toMatch(/401/);
      expect(read.data!.conversation.analyses).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});

describe('filtering by disposition metrics', () => {
  it('conversations(filter: { disposition }) matches the current typed values', async () => {
    const tenant = await server.createTenant();
    const auth = { apiKey: tenant.apiKey };
    await server.graphql(
      'mutation($input: SetAnalysisConfigInput!) { setAnalysisConfig(input: $input) { version } }',
      { input: { dispositionMetrics: [{ identifier: 'user_interested', prompt: 'Was the user interested? yes, no, or unclear', type: 'ENUM', choices: ['yes', 'no', 'unclear'] }] } },
      auth,
    );
    const answers: Record<string, string> = { keen: 'Yes, I am very interested, sign me up.', cold: 'No, I am not interested, thanks.' };
    for (const [externalId, answer] of Object.entries(answers)) {
      await server.graphql(
        'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { conversation { id } } }',
        {
          input: {
            externalId,
            channel: 'CHAT',
            startedAt: '2026-11-10T10:00:00Z',
            endedAt: '2026-11-10T10:02:00Z',
            messages: [
              { sequence: 0, senderRole: 'AGENT', content: 'Would you be interested in our premium plan?' },
              { sequence: 1, senderRole: 'USER', content: answer },
            ],
          },
        },
        auth,
      );
    }
    const worker = createWorker(localConfig, server.app.database, silentLogger, undefined, { organizationIds: [tenant.organizationId] });
    while ((await worker.runOnce()) > 0);
    const find = async (disposition: unknown) =>
      (
        await server.graphql('query($filter: ConversationFilter) { conversations(filter: $filter) { edges { node { externalId } } } }', { filter: { disposition } }, auth)
      ).data!.conversations.edges.map((edge: any) => edge.node.externalId).sort();
    expect(await find([{ identifier: 'user_interested', equals: 'yes' }])).toEqual(['keen']);
    expect(await find([{ identifier: 'user_interested', equals: 'no' }])).toEqual(['cold']);
    expect(await find([{ identifier: 'user_interested', in: ['yes', 'no'] }])).toEqual(['cold', 'keen']);
    expect(await find([{ identifier: 'user_interested', equals: 'unclear' }])).toEqual([]);
    expect(await find([{ identifier: 'no_such_metric', equals: 'yes' }])).toEqual([]);
  });
});
