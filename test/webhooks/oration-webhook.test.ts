import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
let seedPayload: Record<string, any>;
beforeAll(async () => {
  server = await startTestServer({ MAX_BODY_BYTES: '65536' });
  seedPayload = JSON.parse(await readFile(new URL('../fixtures/oration-analysis-completed.json', import.meta.url), 'utf8'));
});
afterAll(async () => {
  await server?.stop();
});

async function post(body: unknown, apiKey?: string, raw?: string) {
  const response = await fetch(`${server.url}/webhooks/oration`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) },
    body: raw ?? JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const READ_BACK = `query($id: UUID!) {
  conversation(id: $id) {
    externalId origin channel conversationType direction status telephonyStatus endedBy endReason outcome outcomeReason
    startedAt endedAt durationSeconds fromPhoneNumber toPhoneNumber phoneId externalWorkspaceId
    recordingUrl recordingStatus campaignId campaignRunId dynamicVariables postCallMetadata metaData
    externalCreatedAt externalUpdatedAt analysisStatus
    sentiment { score label }
    agents { externalId activatedAt deactivatedAt agent { externalId origin } }
    participants { externalId joinedAt leftAt contact { externalId name email phoneNumber identifier priority doNotDisturb source sourceFile metaData externalCreatedAt } }
    transfers { externalId startedAt endedAt userJoinedAt userLeftAt destination status agent { externalId } }
    messages { totalCount edges { node { sequence senderRole content sender { externalId } senderContact { externalId } } } }
  }
}`;

describe('POST /webhooks/oration', () => {
  it('ingests the seed 003 payload as-is; every field reads back through GraphQL', async () => {
    const tenant = await server.createTenant(['INGEST', 'READ']);
    const delivered = await post(seedPayload, tenant.apiKey);
    expect(delivered.status).toBe(201);
    expect(delivered.body).toMatchObject({ externalId: 'conv_1234567890abcdef', created: true });
    const read = await server.graphql(READ_BACK, { id: delivered.body.conversationId }, tenant.auth);
    expect(read.errors).toBeUndefined();
    const conversation = read.data!.conversation;
    const at = '2023-01-01T12:00:00.000Z';
    expect(conversation).toMatchObject({
      externalId: 'conv_1234567890abcdef',
      origin: 'oration',
      channel: 'VOICE',
      conversationType: 'telephony',
      direction: 'OUTBOUND',
      status: 'COMPLETED',
      telephonyStatus: 'completed',
      endedBy: 'USER',
      endReason: 'user_hangup',
      outcome: 'TRANSFERRED',
      outcomeReason: 'provider resolution: completed',
      startedAt: at,
      endedAt: at,
      durationSeconds: 3600,
      fromPhoneNumber: '+0987654321',
      toPhoneNumber: '+1234567890',
      phoneId: 'phone_1234567890abcdef',
      externalWorkspaceId: 'ws_1234567890abcdef',
      recordingUrl: 'https://uploads.oration.ai/public/conversations/conv_1234567890abcdef/recordings/mono.mp4',
      recordingStatus: 'completed',
      campaignId: 'camp_1234567890abcdef',
      campaignRunId: 'run_1234567890abcdef',
      dynamicVariables: { customer_name: 'John Doe', priority: 'high' },
      postCallMetadata: { sentiment: 'positive', duration: 3600, resolution: 'completed' },
      sentiment: { score: 1, label: 'POSITIVE' },
      externalCreatedAt: at,
      externalUpdatedAt: at,
      analysisStatus: 'PENDING',
    });
    expect(conversation.metaData).toMatchObject({ eventId: 'evt_01234567890abcdef', eventType: 'conversation.analysisCompleted', customerId: 'cust_1234567890abcdef' });
    expect(conversation.agents).toEqual([
      { externalId: 'ca_1234567890abcdef', activatedAt: at, deactivatedAt: at, agent: { externalId: 'agent_1234567890abcdef', origin: 'oration' } },
    ]);
    expect(conversation.participants).toEqual([
      {
        externalId: 'cu_1234567890abcdef',
        joinedAt: at,
        leftAt: at,
        contact: {
          externalId: 'cust_1234567890abcdef',
          name: 'John Doe',
          email: 'john.doe@example.com',
          phoneNumber: '+1234567890',
          identifier: 'john.doe',
          priority: 1,
          doNotDisturb: false,
          source: { method: 'api' },
          sourceFile: null,
          metaData: { custom_field: 'value' },
          externalCreatedAt: at,
        },
      },
    ]);
    expect(conversation.transfers).toEqual([
      {
        externalId: 'ct_1234567890abcdef',
        startedAt: at,
        endedAt: at,
        userJoinedAt: at,
        userLeftAt: at,
        destination: '+15555555555',
        status: 'transfer_connected',
        agent: { externalId: 'agent_1234567890abcdef' },
      },
    ]);
    expect(conversation.messages.totalCount).toBe(2);
    expect(conversation.messages.edges.map((edge: any) => edge.node)).toEqual([
      { sequence: 0, senderRole: 'AGENT', content: 'Hello, how can I help you today?', sender: { externalId: 'agent_1234567890abcdef' }, senderContact: null },
      { sequence: 1, senderRole: 'USER', content: "I'd like to know about your pricing...", sender: null, senderContact: { externalId: 'cust_1234567890abcdef' } },
    ]);
  });

  it('is idempotent on the conversation id', async () => {
    const tenant = await server.createTenant(['INGEST', 'READ']);
    const first = await post(seedPayload, tenant.apiKey);
    const again = await post(seedPayload, tenant.apiKey);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ conversationId: first.body.conversationId, created: false });
    const counts = await server.graphql(
      `query($id: UUID!) { conversations { totalCount } agents { totalCount } contacts { totalCount } conversation(id: $id) { messages { totalCount } transfers { id } participants { id } agents { id } } }`,
      { id: first.body.conversationId },
      tenant.auth,
    );
    expect(counts.data).toMatchObject({
      conversations: { totalCount: 1 },
      agents: { totalCount: 1 },
      contacts: { totalCount: 1 },
      conversation: { messages: { totalCount: 2 } },
    });
    expect(counts.data!.conversation.transfers).toHaveLength(1);
    expect(counts.data!.conversation.participants).toHaveLength(1);
    expect(counts.data!.conversation.agents).toHaveLength(1);
  });

  it('answers an invalid payload with 400 and what is wrong, storing nothing', async () => {
    const tenant = await server.createTenant(['INGEST', 'READ']);
    const broken = structuredClone(seedPayload);
    delete broken.payload.id;
    broken.payload.callStartTime = 'noon';
    const result = await post(broken, tenant.apiKey);
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('BAD_USER_INPUT');
    expect(result.body.error.issues.map((issue: any) => issue.path).sort()).toEqual(['payload.callStartTime', 'payload.id']);
    const malformed = await post(undefined, tenant.apiKey, '{"eventId":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('BAD_USER_INPUT');
    expect((await server.graphql('{ conversations { totalCount } }', {}, tenant.auth)).data).toEqual({ conversations: { totalCount: 0 } });
  });

  it('answers an oversized payload with 413', async () => {
    const tenant = await server.createTenant(['INGEST', 'READ']);
    const huge = structuredClone(seedPayload);
    huge.payload.transcript = 'Agent: hello\n'.repeat(10_000);
    const result = await post(huge, tenant.apiKey);
    expect(result.status).toBe(413);
    expect((await server.graphql('{ conversations { totalCount } }', {}, tenant.auth)).data).toEqual({ conversations: { totalCount: 0 } });
  });

  it('needs an API key with the INGEST scope', async () => {
    expect((await post(seedPayload)).status).toBe(401);
    expect((await post(seedPayload, 'alma_not-a-real-key-0123456789abcdef')).status).toBe(401);
    const readOnly = await server.createTenant(['READ']);
    const refused = await post(seedPayload, readOnly.apiKey);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
  });
});
