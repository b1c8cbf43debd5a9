import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const INGEST = `mutation Ingest($input: IngestConversationInput!) {
  ingestConversation(input: $input) { created conversation { id externalId status durationSeconds analysisStatus } }
}`;

const READ = `query Read($id: UUID!) {
  conversation(id: $id) {
    id externalId channel direction status endedBy endReason outcome outcomeReason durationSeconds
    startedAt endedAt recordingUrl campaignId dynamicVariables topics
    sentiment { score label }
    agents { externalId handoffReason activatedAt agent { externalId name internal } }
    participants { joinedAt contact { externalId name email } }
    messages(first: 10) { totalCount edges { cursor node { sequence senderRole content sender { externalId } senderContact { externalId } } } pageInfo { hasNextPage endCursor } }
    actions { functionName status executionTimeMs inputParameters outputResponse errorMessage agent { externalId } }
    tickets { ticketSystem ticketId action status reason }
    transfers { destination status agent { externalId } }
    events { eventType eventSubtype payload scheduledTo source agent { externalId } followUp { score followUpDate } }
    followUps { score followUpDate event { eventType } }
  }
}`;

function supportCall(externalId: string, overrides: Record<string, unknown> = {}) {
  return {
    externalId,
    channel: 'VOICE',
    direction: 'INBOUND',
    startedAt: '2026-11-01T10:00:00.000Z',
    endedAt: '2026-11-01T10:05:00.000Z',
    endedBy: 'USER',
    endReason: 'user_hangup',
    outcome: 'RESOLVED',
    outcomeReason: 'Password reset',
    recordingUrl: 'https://recordings.example/1.mp3',
    campaignId: 'camp-1',
    dynamicVariables: { priority: 'high' },
    sentimentScore: 0.6,
    sentimentLabel: 'POSITIVE',
    topics: ['password'],
    agents: [
      { externalId: 'ava', name: 'Ava', internal: true, usages: [{ activatedAt: '2026-11-01T10:00:00.000Z', deactivatedAt: '2026-11-01T10:04:00.000Z', handoffReason: 'escalation' }] },
      { externalId: 'human-1', name: 'Hugo', internal: true },
    ],
    contacts: [{ externalId: 'cust-1', name: 'Maria Silva', email: 'maria@example.com', sessions: [{ joinedAt: '2026-11-01T10:00:01.000Z' }] }],
    messages: [
      { sequence: 0, senderRole: 'AGENT', agentExternalId: 'ava', content: 'Hello, how can I help?' },
      { sequence: 1, senderRole: 'USER', contactExternalId: 'cust-1', content: 'I forgot my password.' },
      { sequence: 2, senderRole: 'AGENT', agentExternalId: 'ava', content: 'I have reset it for you.' },
    ],
    actions: [
      { agentExternalId: 'ava', messageSequence: 2, functionName: 'reset_password', status: 'SUCCESS', inputParameters: { user: 'maria' }, outputResponse: { ok: true }, executionTimeMs: 120 },
      { agentExternalId: 'ava', messageSequence: 2, functionName: 'send_email', status: 'FAIL', errorMessage: 'SMTP down', executionTimeMs: 3000, retryCount: 2 },
    ],
    tickets: [{ ticketId: 'INC0012345', action: 'CREATED', status: 'New', reason: 'Password reset request' }],
    transfers: [{ agentExternalId: 'human-1', destination: '+15555555555', status: 'transfer_connected' }],
    events: [
      { eventType: 'FOLLOWUP_DETECTION', agentExternalId: 'ava', payload: { FOLLOWUP_TRY: 1, FOLLOWUP_TIME: '2026-11-03T09:00:00Z', FOLLOWUP_TYPE: 'CALL' }, followUpScore: 80 },
      { eventType: 'CUSTOMER_INFORMATION_DETECTION', eventSubtype: 'NAME', payload: { VALUE: 'Maria Silva' } },
    ],
    ...overrides,
  };
}

describe('ingestConversation', () => {
  it('stores a conversation with everything it owns and reads it back field by field', async () => {
    const tenant = await server.createTenant();
    const ingested = await server.graphql(INGEST, { input: supportCall('call-1') }, tenant.auth);
    expect(ingested.errors).toBeUndefined();
    expect(ingested.data!.ingestConversation).toMatchObject({
      created: true,
      conversation: { externalId: 'call-1', status: 'COMPLETED', durationSeconds: 300, analysisStatus: 'PENDING' },
    });
    const id = ingested.data!.ingestConversation.conversation.id;
    const read = await server.graphql(READ, { id }, tenant.auth);
    expect(read.errors).toBeUndefined();
    const conversation = read.data!.conversation;
    expect(conversation).toMatchObject({
      externalId: 'call-1',
      channel: 'VOICE',
      direction: 'INBOUND',
      endedBy: 'USER',
      endReason: 'user_hangup',
      outcome: 'RESOLVED',
      outcomeReason: 'Password reset',
      startedAt: '2026-11-01T10:00:00.000Z',
      endedAt: '2026-11-01T10:05:00.000Z',
      recordingUrl: 'https://recordings.example/1.mp3',
      campaignId: 'camp-1',
      dynamicVariables: { priority: 'high' },
      topics: ['password'],
      sentiment: { score: 0.6, label: 'POSITIVE' },
    });
    expect(conversation.agents.map((usage: any) => [usage.agent.externalId, usage.handoffReason])).toEqual([
      ['ava', 'escalation'],
      ['human-1', null],
    ]);
    expect(conversation.participants).toEqual([{ joinedAt: '2026-11-01T10:00:01.000Z', contact: { externalId: 'cust-1', name: 'Maria Silva', email: 'maria@example.com' } }]);
    expect(conversation.messages.totalCount).toBe(3);
    expect(conversation.messages.edges.map((edge: any) => [edge.node.sequence, edge.node.senderRole, edge.node.sender?.externalId ?? edge.node.senderContact?.externalId])).toEqual([
      [0, 'AGENT', 'ava'],
      [1, 'USER', 'cust-1'],
      [2, 'AGENT', 'ava'],
    ]);
    expect(conversation.actions).toEqual([
      { functionName: 'reset_password', status: 'SUCCESS', executionTimeMs: 120, inputParameters: { user: 'maria' }, outputResponse: { ok: true }, errorMessage: null, agent: { externalId: 'ava' } },
      { functionName: 'send_email', status: 'FAIL', executionTimeMs: 3000, inputParameters: null, outputResponse: null, errorMessage: 'SMTP down', agent: { externalId: 'ava' } },
    ]);
    expect(conversation.tickets).toEqual([{ ticketSystem: 'SERVICENOW', ticketId: 'INC0012345', action: 'CREATED', status: 'New', reason: 'Password reset request' }]);
    expect(conversation.transfers).toEqual([{ destination: '+15555555555', status: 'transfer_connected', agent: { externalId: 'human-1' } }]);
    const followUpEvent = conversation.events.find((event: any) => event.eventType === 'FOLLOWUP_DETECTION');
    expect(followUpEvent).toMatchObject({
      source: 'INGESTED',
      scheduledTo: '2026-11-03T09:00:00.000Z',
      agent: { externalId: 'ava' },
      followUp: { score: 80, followUpDate: '2026-11-03T09:00:00.000Z' },
    });
    expect(conversation.events.find((event: any) => event.eventType === 'CUSTOMER_INFORMATION_DETECTION')).toMatchObject({ eventSubtype: 'NAME', payload: { VALUE: 'Maria Silva' } });
    expect(conversation.followUps).toEqual([{ score: 80, followUpDate: '2026-11-03T09:00:00.000Z', event: { eventType: 'FOLLOWUP_DETECTION' } }]);
  });

  it('is idempotent on externalId: a repeat updates what changed and duplicates nothing', async () => {
    const tenant = await server.createTenant();
    const first = await server.graphql(INGEST, { input: supportCall('call-2') }, tenant.auth);
    const id = first.data!.ingestConversation.conversation.id;
    const changed = supportCall('call-2', {
      outcome: 'ESCALATED',
      messages: [
        { sequence: 0, senderRole: 'AGENT', agentExternalId: 'ava', content: 'Hello, how can I help?' },
        { sequence: 1, senderRole: 'USER', contactExternalId: 'cust-1', content: 'I forgot my password!' },
      ],
      actions: [],
    });
    const again = await server.graphql(INGEST, { input: changed }, tenant.auth);
    expect(again.errors).toBeUndefined();
    expect(again.data!.ingestConversation).toMatchObject({ created: false, conversation: { id } });
    const twice = await server.graphql(INGEST, { input: changed }, tenant.auth);
    expect(twice.data!.ingestConversation.created).toBe(false);

    const read = await server.graphql(READ, { id }, tenant.auth);
    const conversation = read.data!.conversation;
    expect(conversation.outcome).toBe('ESCALATED');
    expect(conversation.messages.edges.map((edge: any) => edge.node.content)).toEqual(['Hello, how can I help?', 'I forgot my password!']);
    expect(conversation.actions).toEqual([]);
    expect(conversation.tickets).toHaveLength(1);
    expect(conversation.events).toHaveLength(2);
    expect(conversation.followUps).toHaveLength(1);
    expect(conversation.agents).toHaveLength(2);
    const counts = await server.graphql('{ conversations { totalCount } agents { totalCount } contacts { totalCount } }', {}, tenant.auth);
    expect(counts.data).toEqual({ conversations: { totalCount: 1 }, agents: { totalCount: 2 }, contacts: { totalCount: 1 } });
  });

  it('is all or nothing: an invalid event stores none of the conversation', async () => {
    const tenant = await server.createTenant();
    const bad = supportCall('call-3', { events: [{ eventType: 'SALE_MADE', payload: { PRODUCT: 'Plan' } }] });
    const result = await server.graphql(INGEST, { input: bad }, tenant.auth);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toContain('events[0].payload.PRICE');
    const counts = await server.graphql('{ conversations { totalCount } agents { totalCount } }', {}, tenant.auth);
    expect(counts.data).toEqual({ conversations: { totalCount: 0 }, agents: { totalCount: 0 } });
  });

  it('refuses an action pointing at a missing turn, storing nothing', async () => {
    const tenant = await server.createTenant();
    const bad = supportCall('call-4', { actions: [{ functionName: 'x', status: 'SUCCESS', messageSequence: 99 }] });
    const result = await server.graphql(INGEST, { input: bad }, tenant.auth);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await server.graphql('{ conversations { totalCount } }', {}, tenant.auth)).data).toEqual({ conversations: { totalCount: 0 } });
  });
});

describe('ingestConversations (bulk)', () => {
  it('ingests each item atomically and reports a result or an error per item', async () => {
    const tenant = await server.createTenant();
    const result = await server.graphql(
      `mutation($inputs: [IngestConversationInput!]!) { ingestConversations(inputs: $inputs) { index externalId created error { code message } conversation { externalId } } }`,
      {
        inputs: [
          supportCall('bulk-1'),
          supportCall('bulk-2', { messages: [{ sequence: 0, senderRole: 'USER', content: 'a' }, { sequence: 0, senderRole: 'USER', content: 'b' }] }),
          supportCall('bulk-3'),
        ],
      },
      tenant.auth,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.ingestConversations.map((item: any) => [item.index, item.externalId, item.created, item.error?.code ?? null])).toEqual([
      [0, 'bulk-1', true, null],
      [1, 'bulk-2', null, 'BAD_USER_INPUT'],
      [2, 'bulk-3', true, null],
    ]);
    const again = await server.graphql(
      `mutation($inputs: [IngestConversationInput!]!) { ingestConversations(inputs: $inputs) { created } }`,
      { inputs: [supportCall('bulk-1'), supportCall('bulk-3')] },
      tenant.auth,
    );
    expect(again.data!.ingestConversations).toEqual([{ created: false }, { created: false }]);
    expect((await server.graphql('{ conversations { totalCount } }', {}, tenant.auth)).data).toEqual({ conversations: { totalCount: 2 } });
  });

  it('refuses more than 100 items', async () => {
    const tenant = await server.createTenant();
    const inputs = Array.from({ length: 101 }, (_, index) => ({ externalId: `x-${index}`, channel: 'CHAT' }));
    const result = await server.graphql(`mutation($inputs: [IngestConversationInput!]!) { ingestConversations(inputs: $inputs) { created } }`, { inputs }, tenant.auth);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await server.graphql('{ conversations { totalCount } }', {}, tenant.auth)).data).toEqual({ conversations: { totalCount: 0 } });
  });
});

describe('live conversations', () => {
  it('appends messages, refuses a taken sequence number, then completes', async () => {
    const tenant = await server.createTenant();
    const started = await server.graphql(INGEST, { input: { externalId: 'live-1', channel: 'CHAT', startedAt: '2026-11-01T10:00:00.000Z' } }, tenant.auth);
    const id = started.data!.ingestConversation.conversation.id;
    expect(started.data!.ingestConversation.conversation.status).toBe('ONGOING');
    const append = `mutation($id: UUID!, $messages: [MessageInput!]!) { appendMessages(conversationId: $id, messages: $messages) { id } }`;
    const ok = await server.graphql(append, { id, messages: [{ sequence: 0, senderRole: 'USER', content: 'hi' }, { sequence: 1, senderRole: 'AGENT', content: 'hello' }] }, tenant.auth);
    expect(ok.errors).toBeUndefined();
    const taken = await server.graphql(append, { id, messages: [{ sequence: 2, senderRole: 'USER', content: 'new' }, { sequence: 1, senderRole: 'USER', content: 'dup' }] }, tenant.auth);
    expect(taken.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const complete = await server.graphql(
      `mutation($id: UUID!) { completeConversation(id: $id, input: { endedAt: "2026-11-01T10:02:00.000Z", endedBy: AGENT, outcome: RESOLVED }) { status endedBy outcome durationSeconds analysisStatus } }`,
      { id },
      tenant.auth,
    );
    expect(complete.data!.completeConversation).toEqual({ status: 'COMPLETED', endedBy: 'AGENT', outcome: 'RESOLVED', durationSeconds: 120, analysisStatus: 'PENDING' });
    const late = await server.graphql(append, { id, messages: [{ sequence: 5, senderRole: 'USER', content: 'late' }] }, tenant.auth);
    expect(late.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const read = await server.graphql(`query($id: UUID!) { conversation(id: $id) { messages { edges { node { sequence content } } } } }`, { id }, tenant.auth);
    expect(read.data!.conversation.messages.edges.map((edge: any) => edge.node)).toEqual([
      { sequence: 0, content: 'hi' },
      { sequence: 1, content: 'hello' },
    ]);
  });
});

describe('recordEvents and upsertAgents', () => {
  it('validates each payload against its event type', async () => {
    const tenant = await server.createTenant();
    const started = await server.graphql(INGEST, { input: { externalId: 'ev-1', channel: 'WHATSAPP' } }, tenant.auth);
    const id = started.data!.ingestConversation.conversation.id;
    const record = `mutation($id: UUID!, $events: [EventInput!]!) { recordEvents(conversationId: $id, events: $events) { eventType payload scheduledTo followUp { score } } }`;
    const ok = await server.graphql(
      record,
      {
        id,
        events: [
          { eventType: 'SALES_STAGE_CHANGE', payload: { OLD_STAGE: 'LEAD', NEW_STAGE: 'QUALIFIED' } },
          { eventType: 'MEETING_SCHEDULED', payload: { TIME_SCHEDULED: '2026-11-05T15:00:00Z', MEETING_CHANNEL: 'ZOOM', LINK: 'https://zoom.example/j/1' } },
          { eventType: 'FOLLOWUP_DETECTION', payload: { FOLLOWUP_TIME: '2026-11-06T15:00:00Z', FOLLOWUP_TYPE: 'WHATSAPP' } },
          { eventType: 'MEETING_DONE', payload: { ATTENDED: false, DURATION: 0, TRANSCRIPTION: null, VIDEO: null } },
        ],
      },
      tenant.auth,
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.recordEvents.map((event: any) => [event.eventType, event.scheduledTo, event.followUp?.score ?? null])).toEqual([
      ['SALES_STAGE_CHANGE', null, null],
      ['MEETING_SCHEDULED', '2026-11-05T15:00:00.000Z', null],
      ['FOLLOWUP_DETECTION', '2026-11-06T15:00:00.000Z', 50],
      ['MEETING_DONE', null, null],
    ]);
    // A key sent as null is absent from the stored payload, never null.
    expect(ok.data!.recordEvents[3].payload).toEqual({ ATTENDED: false, DURATION: 0 });
    for (const bad of [
      { eventType: 'CUSTOMER_INFORMATION_DETECTION', eventSubtype: 'SHOE_SIZE', payload: {} },
      { eventType: 'MEETING_DONE', payload: { ATTENDED: 'yes' } },
      { eventType: 'OBJECTION_DETECTION', payload: {} },
    ]) {
      const refused = await server.graphql(record, { id, events: [bad] }, tenant.auth);
      expect(refused.errors?.[0]?.extensions?.code, JSON.stringify(bad)).toBe('BAD_USER_INPUT');
    }
    expect((await server.graphql('{ events { totalCount } }', {}, tenant.auth)).data).toEqual({ events: { totalCount: 4 } });
  });

  it('upserts agents by external id', async () => {
    const tenant = await server.createTenant();
    const upsert = `mutation($agents: [AgentInput!]!) { upsertAgents(agents: $agents) { externalId name internal } }`;
    await server.graphql(upsert, { agents: [{ externalId: 'a1', name: 'Ava' }, { externalId: 'a2', name: 'Leo', internal: false }] }, tenant.auth);
    const again = await server.graphql(upsert, { agents: [{ externalId: 'a1', name: 'Ava 2' }] }, tenant.auth);
    expect(again.data!.upsertAgents).toEqual([{ externalId: 'a1', name: 'Ava 2', internal: true }]);
    const list = await server.graphql('{ agents { totalCount edges { node { externalId name } } } }', {}, tenant.auth);
    expect(list.data!.agents.totalCount).toBe(2);
    expect(list.data!.agents.edges.map((edge: any) => edge.node)).toEqual([
      { externalId: 'a1', name: 'Ava 2' },
      { externalId: 'a2', name: 'Leo' },
    ]);
  });
});
