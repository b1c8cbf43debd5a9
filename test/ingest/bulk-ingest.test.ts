import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Auth, type TestServer } from '../support/test-server.js';

// API-key bookkeeping (last_used, at most once a minute per key) is not part of an ingest's cost.
let recording = false;
let statements: string[] = [];
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({}, { onQuery: (sql) => (recording && !/UPDATE "public"\."authorization"/.test(sql) ? statements.push(sql) : undefined) });
});
afterAll(async () => {
  await server?.stop();
});

const INGEST_ONE = `mutation($input: IngestConversationInput!) {
  ingestConversation(input: $input) { created conversation { id externalId } }
}`;
const INGEST_MANY = `mutation($inputs: [IngestConversationInput!]!) {
  ingestConversations(inputs: $inputs) {
    index externalId created status error { code message }
    conversation { id externalId channel direction status analysisStatus startedAt endedAt durationSeconds summary outcome metaData topics }
  }
}`;
const READ = `query($id: UUID!) {
  conversation(id: $id) {
    id externalId origin channel direction conversationType fromPhoneNumber toPhoneNumber phoneId externalWorkspaceId
    startedAt endedAt durationSeconds status telephonyStatus endedBy endReason outcome outcomeReason summary
    sentiment { score label } topics userSatisfactionScore callQualityScore audioQualityMetrics postCallMetadata
    recordingUrl recordingStatus campaignId campaignRunId dynamicVariables metaData externalCreatedAt externalUpdatedAt
    analysisStatus
    agents { externalId activatedAt deactivatedAt usageDurationSeconds handoffReason successRate agent { id externalId origin name email phoneNumber internal otherInfo } }
    participants { externalId joinedAt leftAt contact { id externalId origin name email phoneNumber identifier priority doNotDisturb source sourceFile metaData externalCreatedAt externalUpdatedAt } }
    messages(first: 100) { totalCount edges { node {
      sequence senderRole content type link channel subchannel sentAt sentimentScore speechToTextConfidence metaData origin
      sender { id externalId } senderContact { id externalId }
    } } }
    actions { externalId functionName status inputParameters outputResponse executionTimeMs errorMessage retryCount occurredAt agent { id externalId } }
    tickets { ticketSystem ticketId action status reason occurredAt }
    transfers { externalId startedAt endedAt userJoinedAt userLeftAt destination status agent { id externalId } }
    events { externalId eventType eventSubtype payload scheduledTo source confidence contextStartIndex contextEndIndex agent { id externalId } followUp { score followUpDate agent { id externalId } } }
    followUps { score followUpDate agent { externalId } event { eventType externalId } }
  }
}`;
const AGENTS = `{ agents(first: 100) { totalCount edges { node { id externalId origin name email phoneNumber internal otherInfo } } } }`;
const CONTACTS = `{ contacts(first: 100) { totalCount edges { node { id externalId origin name email phoneNumber identifier priority doNotDisturb source sourceFile metaData } } } }`;

const at = (minute: number, second = 0) => new Date(Date.UTC(2026, 10, 2, 9, minute, second)).toISOString();

/** A realistic call: the shared agent `ava`, its own human agent and customer, 20 turns, and everything a call owns. */
function call(index: number, overrides: Record<string, unknown> = {}) {
  const human = `human-${index}`;
  const customer = `cust-${index}`;
  return {
    externalId: `call-${index}`,
    channel: 'VOICE',
    direction: index % 2 ? 'OUTBOUND' : 'INBOUND',
    conversationType: 'telephony',
    fromPhoneNumber: '+15550000001',
    toPhoneNumber: '+15550000002',
    phoneId: `phone-${index}`,
    externalWorkspaceId: 'ws-1',
    startedAt: at(index),
    endedAt: at(index, 50),
    telephonyStatus: 'completed',
    endedBy: 'USER',
    endReason: 'user_hangup',
    outcome: 'RESOLVED',
    outcomeReason: 'Answered',
    summary: `Call ${index}`,
    sentimentScore: 0.25,
    sentimentLabel: 'POSITIVE',
    topics: ['billing', `topic-${index}`],
    userSatisfactionScore: 4.5,
    callQualityScore: 0.9,
    audioQualityMetrics: { mos: 4.1 },
    postCallMetadata: { provider: 'oration', n: index },
    recordingUrl: `https://recordings.example/${index}.mp3`,
    recordingStatus: 'available',
    campaignId: 'camp-1',
    campaignRunId: `run-${index}`,
    dynamicVariables: { plan: 'gold' },
    metaData: { index },
    externalCreatedAt: at(index),
    externalUpdatedAt: at(index, 55),
    agents: [
      // `ava` is in every call; each mention adds fields, as consecutive upserts would.
      { externalId: 'ava', ...(index === 0 ? { name: 'Ava', email: 'ava@example.com' } : {}), ...(index === 1 ? { name: 'Ava v2' } : {}), ...(index === 2 ? { internal: false } : {}) },
      { externalId: human, name: `Human ${index}`, phoneNumber: '+15550001111', usages: [{ externalId: `u-${index}`, activatedAt: at(index, 30), deactivatedAt: at(index, 45), handoffReason: 'escalation', successRate: 0.5 }] },
    ],
    contacts: [
      { externalId: customer, name: `Customer ${index}`, email: `c${index}@example.com`, identifier: `ID-${index}`, priority: index, source: { list: 'a' }, sourceFile: 'leads.csv', metaData: { vip: index === 0 }, sessions: [{ externalId: `s-${index}`, joinedAt: at(index, 1), leftAt: at(index, 50) }] },
      // Shared by every call, absent fields keep the stored ones.
      { externalId: 'shared-contact', ...(index === 0 ? { name: 'Shared', doNotDisturb: true } : { phoneNumber: '+15559999999' }) },
    ],
    messages: Array.from({ length: 20 }, (_, sequence) => ({
      sequence,
      senderRole: sequence % 2 === 0 ? 'AGENT' : 'USER',
      ...(sequence % 2 === 0 ? { agentExternalId: sequence === 18 ? human : 'ava' } : { contactExternalId: customer }),
      content: `Turn ${sequence} of call ${index}`,
      ...(sequence === 3 ? { type: 'AUDIO', link: 'https://audio.example/3.wav', subchannel: 'pstn' } : {}),
      sentAt: at(index, sequence),
      ...(sequence % 4 === 1 ? { sentimentScore: -0.5, speechToTextConfidence: 0.8, metaData: { words: sequence } } : {}),
    })),
    actions: [
      { externalId: `a-${index}`, agentExternalId: 'ava', messageSequence: 4, functionName: 'lookup_account', status: 'SUCCESS', inputParameters: { id: index }, outputResponse: { ok: true }, executionTimeMs: 120, occurredAt: at(index, 4) },
      { agentExternalId: human, messageSequence: 18, functionName: 'send_email', status: 'FAIL', errorMessage: 'SMTP down', retryCount: 2, occurredAt: at(index, 18) },
      { functionName: 'no_turn', status: 'TIMEOUT' },
    ],
    tickets: [{ ticketId: `INC${index}`, action: 'CREATED', status: 'New', reason: 'Billing question', occurredAt: at(index, 5) }, { ticketSystem: 'JIRA', ticketId: `J-${index}`, action: 'LINKED' }],
    transfers: [{ externalId: `t-${index}`, agentExternalId: human, startedAt: at(index, 29), endedAt: at(index, 30), userJoinedAt: at(index, 30), userLeftAt: at(index, 45), destination: '+15555555555', status: 'transfer_connected' }],
    events: [
      { externalId: `f-${index}`, eventType: 'FOLLOWUP_DETECTION', agentExternalId: 'ava', payload: { FOLLOWUP_TIME: '2026-11-20T10:00:00Z', FOLLOWUP_TYPE: 'CALL' }, followUpScore: 70 + index, confidence: 0.9, contextStartIndex: 2, contextEndIndex: 5 },
      { eventType: 'CUSTOMER_INFORMATION_DETECTION', eventSubtype: 'NAME', payload: { VALUE: `Customer ${index}` } },
      { eventType: 'SALE_MADE', agentExternalId: 'supervisor', payload: { PRODUCT: 'Gold', PRICE: 99.9, CURRENCY: 'BRL' } },
      { eventType: 'FOLLOWUP_DETECTION', payload: { FOLLOWUP_TIME: '2026-11-21T10:00:00Z', FOLLOWUP_TYPE: 'WHATSAPP' } },
    ],
    ...overrides,
  };
}

type Tenant = Awaited<ReturnType<TestServer['createTenant']>>;

async function ingestMany(auth: Auth, inputs: unknown[]) {
  const response = await server.graphql(INGEST_MANY, { inputs }, auth);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.ingestConversations as Array<Record<string, any>>;
}

async function ingestOne(auth: Auth, input: unknown) {
  return server.graphql(INGEST_ONE, { input }, auth);
}

async function read(auth: Auth, id: string) {
  const response = await server.graphql(READ, { id }, auth);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.conversation;
}

async function list(auth: Auth, query: string) {
  const response = await server.graphql(query, {}, auth);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const [connection] = Object.values(response.data!) as Array<{ edges: Array<{ node: any }> }>;
  return connection!.edges.map((edge) => edge.node).sort((a, b) => (a.externalId < b.externalId ? -1 : 1));
}

/** Ids differ between two tenants; everything else must be equal. */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'id').map(([key, inner]) => [key, withoutIds(inner)]));
  }
  return value;
}

async function upsertAgents(auth: Auth, agents: unknown[]) {
  const response = await server.graphql('mutation($agents: [AgentInput!]!) { upsertAgents(agents: $agents) { id externalId name } }', { agents }, auth);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.upsertAgents as Array<{ id: string; externalId: string; name: string }>;
}

/** Rows per table of one organization, read straight from the database. */
async function countRows(organizationId: string) {
  const { db } = server.app.database.forOrganization(organizationId);
  return {
    conversations: await db.conversation.count(),
    messages: await db.message.count(),
    agents: await db.agent.count(),
    contacts: await db.contact.count(),
    conversationAgents: await db.conversationAgent.count(),
    participants: await db.conversationParticipant.count(),
    actions: await db.agentAction.count(),
    tickets: await db.ticket.count(),
    transfers: await db.transfer.count(),
    events: await db.event.count(),
    followUps: await db.followUp.count(),
    jobs: await db.job.count(),
    webhookDeliveries: await db.webhookDelivery.count(),
  };
}

async function createEndpoint(auth: Auth, eventTypes: string[]) {
  const response = await server.graphql(
    'mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }',
    { input: { url: 'http://127.0.0.1:9/hook', eventTypes } },
    auth,
  );
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.createWebhookEndpoint.endpoint.id as string;
}

describe('ingestConversations: new conversations in one batch', () => {
  let batch: Tenant;
  let single: Tenant;
  let results: Array<Record<string, any>>;
  let batchStatements: string[];
  const inputs = [0, 1, 2, 3].map((index) => call(index));
  inputs.push(call(4, { endedAt: null, status: null, outcome: null, agents: [{ externalId: 'ava' }], contacts: [], messages: [{ sequence: 0, senderRole: 'USER', contactExternalId: 'shared-contact', content: 'hi' }], actions: [], tickets: [], transfers: [], events: [] }));

  beforeAll(async () => {
    [batch, single] = [await server.createTenant(), await server.createTenant()];
    for (const tenant of [batch, single]) {
      // `supervisor` is referred to without being listed (SALE_MADE events): it must exist already.
      // `ava` and `human-3` exist too: what the batch doesn't mention of them must stay as stored.
      await upsertAgents(tenant.auth, [
        { externalId: 'supervisor', name: 'Sam', otherInfo: { team: 'sales' } },
        { externalId: 'ava', phoneNumber: '+15550002222', otherInfo: { lang: 'en' } },
        { externalId: 'human-3', internal: false, email: 'h3@example.com' },
      ]);
    }
    statements = [];
    recording = true;
    results = await ingestMany(batch.auth, inputs);
    recording = false;
    batchStatements = [...statements];
    for (const input of inputs) {
      const response = await ingestOne(single.auth, input);
      expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    }
  });

  it('returns one created result per item, in order, with the full conversation row', () => {
    expect(results.map((item) => [item.index, item.externalId, item.created, item.error])).toEqual(inputs.map((input, index) => [index, input.externalId, true, null]));
    expect(results[0]!.conversation).toEqual({
      id: expect.any(String),
      externalId: 'call-0',
      channel: 'VOICE',
      direction: 'INBOUND',
      status: 'COMPLETED',
      analysisStatus: 'PENDING',
      startedAt: at(0),
      endedAt: at(0, 50),
      durationSeconds: 50,
      summary: 'Call 0',
      outcome: 'RESOLVED',
      metaData: { index: 0 },
      topics: ['billing', 'topic-0'],
    });
    expect(results[4]!.conversation).toMatchObject({ externalId: 'call-4', status: 'ONGOING', analysisStatus: 'NOT_REQUESTED', endedAt: null, durationSeconds: null });
  });

  it('takes the set-based path: one statement per table, no per-item writes', () => {
    expect(batchStatements.filter((sql) => /^INSERT INTO conversations /.test(sql))).toHaveLength(1);
    expect(batchStatements.filter((sql) => /^INSERT INTO messages /.test(sql))).toHaveLength(1);
    expect(batchStatements.filter((sql) => /"public"\."(conversations|agents|contacts|messages)"/.test(sql) && /^(INSERT|UPDATE)/.test(sql))).toEqual([]);
  });

  it('stores every field as a one-by-one ingest of the same input does', async () => {
    const stored = await server.graphql(`query { conversations(first: 100) { edges { node { id externalId } } } }`, {}, single.auth);
    const singleIds = new Map<string, string>(stored.data!.conversations.edges.map((edge: any) => [edge.node.externalId, edge.node.id]));
    for (const input of inputs) {
      const fromBatch = await read(batch.auth, results.find((item) => item.externalId === input.externalId)!.conversation.id);
      const fromSingle = await read(single.auth, singleIds.get(input.externalId)!);
      expect(withoutIds(fromBatch), input.externalId).toEqual(withoutIds(fromSingle));
    }
    expect(withoutIds(await list(batch.auth, AGENTS))).toEqual(withoutIds(await list(single.auth, AGENTS)));
    expect(withoutIds(await list(batch.auth, CONTACTS))).toEqual(withoutIds(await list(single.auth, CONTACTS)));
  });

  it('reads back field by field', async () => {
    const conversation = await read(batch.auth, results[1]!.conversation.id);
    expect(conversation).toMatchObject({
      externalId: 'call-1',
      origin: 'api',
      channel: 'VOICE',
      direction: 'OUTBOUND',
      conversationType: 'telephony',
      fromPhoneNumber: '+15550000001',
      toPhoneNumber: '+15550000002',
      phoneId: 'phone-1',
      externalWorkspaceId: 'ws-1',
      startedAt: at(1),
      endedAt: at(1, 50),
      durationSeconds: 50,
      status: 'COMPLETED',
      telephonyStatus: 'completed',
      endedBy: 'USER',
      endReason: 'user_hangup',
      outcome: 'RESOLVED',
      outcomeReason: 'Answered',
      summary: 'Call 1',
      sentiment: { score: 0.25, label: 'POSITIVE' },
      topics: ['billing', 'topic-1'],
      userSatisfactionScore: 4.5,
      callQualityScore: 0.9,
      audioQualityMetrics: { mos: 4.1 },
      postCallMetadata: { provider: 'oration', n: 1 },
      recordingUrl: 'https://recordings.example/1.mp3',
      recordingStatus: 'available',
      campaignId: 'camp-1',
      campaignRunId: 'run-1',
      dynamicVariables: { plan: 'gold' },
      metaData: { index: 1 },
      externalCreatedAt: at(1),
      externalUpdatedAt: at(1, 55),
      analysisStatus: 'PENDING',
    });
    // One `ava` row shared by every call, with the fields of every mention merged in order.
    const ava = conversation.agents.find((usage: any) => usage.agent.externalId === 'ava').agent;
    expect(ava).toMatchObject({ name: 'Ava v2', email: 'ava@example.com', phoneNumber: '+15550002222', internal: false, otherInfo: { lang: 'en' }, origin: 'api' });
    const human3 = (await list(batch.auth, AGENTS)).find((agent) => agent.externalId === 'human-3');
    expect(human3).toMatchObject({ name: 'Human 3', email: 'h3@example.com', phoneNumber: '+15550001111', internal: false });
    const avaIds = new Set<string>();
    for (const item of results) {
      for (const usage of (await read(batch.auth, item.conversation.id)).agents) if (usage.agent.externalId === 'ava') avaIds.add(usage.agent.id);
    }
    expect(avaIds.size).toBe(1);
    // Usages list by activation time, the ones without one last.
    expect(conversation.agents.map((usage: any) => [usage.agent.externalId, usage.externalId, usage.activatedAt, usage.deactivatedAt, usage.usageDurationSeconds, usage.handoffReason, usage.successRate])).toEqual([
      ['human-1', 'u-1', at(1, 30), at(1, 45), 15, 'escalation', 0.5],
      // ava reported no success rate: derived from its one call in the conversation (SUCCESS).
      ['ava', null, null, null, null, null, 1],
    ]);
    expect(conversation.participants.map((participant: any) => [participant.externalId, participant.joinedAt, participant.leftAt, participant.contact.externalId])).toEqual([
      ['s-1', at(1, 1), at(1, 50), 'cust-1'],
      [null, null, null, 'shared-contact'],
    ]);
    expect(conversation.participants[0].contact).toMatchObject({ name: 'Customer 1', email: 'c1@example.com', identifier: 'ID-1', priority: 1, source: { list: 'a' }, sourceFile: 'leads.csv', metaData: { vip: false } });
    expect(conversation.participants[1].contact).toMatchObject({ name: 'Shared', doNotDisturb: true, phoneNumber: '+15559999999' });

    expect(conversation.messages.totalCount).toBe(20);
    const messages = conversation.messages.edges.map((edge: any) => edge.node);
    expect(messages.map((message: any) => message.sequence)).toEqual(Array.from({ length: 20 }, (_, sequence) => sequence));
    expect(messages[0]).toMatchObject({ senderRole: 'AGENT', content: 'Turn 0 of call 1', type: 'TEXT', channel: 'VOICE', origin: 'api', sentAt: at(1, 0), sender: { externalId: 'ava' }, senderContact: null });
    expect(messages[1]).toMatchObject({ senderRole: 'USER', sentimentScore: -0.5, speechToTextConfidence: 0.8, metaData: { words: 1 }, sender: null, senderContact: { externalId: 'cust-1' } });
    expect(messages[3]).toMatchObject({ type: 'AUDIO', link: 'https://audio.example/3.wav', subchannel: 'pstn' });
    expect(messages[18].sender.externalId).toBe('human-1');

    expect(conversation.actions).toEqual([
      { externalId: 'a-1', functionName: 'lookup_account', status: 'SUCCESS', inputParameters: { id: 1 }, outputResponse: { ok: true }, executionTimeMs: 120, errorMessage: null, retryCount: 0, occurredAt: at(1, 4), agent: { id: ava.id, externalId: 'ava' } },
      { externalId: null, functionName: 'send_email', status: 'FAIL', inputParameters: null, outputResponse: null, executionTimeMs: null, errorMessage: 'SMTP down', retryCount: 2, occurredAt: at(1, 18), agent: { id: expect.any(String), externalId: 'human-1' } },
      { externalId: null, functionName: 'no_turn', status: 'TIMEOUT', inputParameters: null, outputResponse: null, executionTimeMs: null, errorMessage: null, retryCount: 0, occurredAt: null, agent: null },
    ]);
    expect(conversation.tickets).toEqual([
      { ticketSystem: 'SERVICENOW', ticketId: 'INC1', action: 'CREATED', status: 'New', reason: 'Billing question', occurredAt: at(1, 5) },
      { ticketSystem: 'JIRA', ticketId: 'J-1', action: 'LINKED', status: null, reason: null, occurredAt: null },
    ]);
    expect(conversation.transfers).toEqual([
      { externalId: 't-1', startedAt: at(1, 29), endedAt: at(1, 30), userJoinedAt: at(1, 30), userLeftAt: at(1, 45), destination: '+15555555555', status: 'transfer_connected', agent: { id: expect.any(String), externalId: 'human-1' } },
    ]);
    expect(conversation.events.map((event: any) => [event.externalId, event.eventType, event.eventSubtype, event.source, event.scheduledTo, event.agent?.externalId ?? null, event.followUp?.score ?? null])).toEqual([
      ['f-1', 'FOLLOWUP_DETECTION', null, 'INGESTED', '2026-11-20T10:00:00.000Z', 'ava', 71],
      [null, 'CUSTOMER_INFORMATION_DETECTION', 'NAME', 'INGESTED', null, null, null],
      [null, 'SALE_MADE', null, 'INGESTED', null, 'supervisor', null],
      [null, 'FOLLOWUP_DETECTION', null, 'INGESTED', '2026-11-21T10:00:00.000Z', null, 50],
    ]);
    expect(conversation.events[0]).toMatchObject({ payload: { FOLLOWUP_TIME: '2026-11-20T10:00:00Z', FOLLOWUP_TYPE: 'CALL' }, confidence: 0.9, contextStartIndex: 2, contextEndIndex: 5 });
    expect(conversation.events[2].payload).toEqual({ PRODUCT: 'Gold', PRICE: 99.9, CURRENCY: 'BRL' });
    expect(conversation.followUps).toEqual([
      { score: 71, followUpDate: '2026-11-20T10:00:00.000Z', agent: { externalId: 'ava' }, event: { eventType: 'FOLLOWUP_DETECTION', externalId: 'f-1' } },
      { score: 50, followUpDate: '2026-11-21T10:00:00.000Z', agent: null, event: { eventType: 'FOLLOWUP_DETECTION', externalId: null } },
    ]);

    // The agent referred to without being listed is the stored one, untouched.
    const supervisor = (await list(batch.auth, AGENTS)).find((agent) => agent.externalId === 'supervisor');
    expect(supervisor).toMatchObject({ name: 'Sam', otherInfo: { team: 'sales' } });
    expect(conversation.events[2].agent.id).toBe(supervisor.id);
  });

  it('writes the same number of rows per table as one-by-one ingests', async () => {
    const batchCounts = await countRows(batch.organizationId);
    expect(batchCounts).toEqual(await countRows(single.organizationId));
    expect(batchCounts).toMatchObject({ conversations: 5, messages: 81, agents: 1 + 1 + 4, contacts: 4 + 1, actions: 12, tickets: 8, transfers: 4, events: 16, followUps: 8 });
  });
});

describe('ingestConversations: what goes the per-item path', () => {
  it('mixes new, re-ingested, invalid and repeated items; each gets its own outcome', async () => {
    const tenant = await server.createTenant();
    await upsertAgents(tenant.auth, [{ externalId: 'supervisor' }]);
    const first = await ingestOne(tenant.auth, call(10, { outcome: 'RESOLVED' }));
    const existingId = first.data!.ingestConversation.conversation.id;

    const results = await ingestMany(tenant.auth, [
      call(11),
      call(10, { outcome: 'ESCALATED', messages: [{ sequence: 0, senderRole: 'USER', contactExternalId: 'cust-10', content: 'Only turn now' }], actions: [] }),
      call(12, { startedAt: at(12, 50), endedAt: at(12, 0) }),
      call(11, { summary: 'Second version' }),
      call(13),
    ]);
    expect(results.map((item) => [item.index, item.externalId, item.created, item.error?.code ?? null])).toEqual([
      [0, 'call-11', true, null],
      [1, 'call-10', false, null],
      [2, 'call-12', null, 'BAD_USER_INPUT'],
      [3, 'call-11', false, null],
      [4, 'call-13', true, null],
    ]);
    expect(results[2]!.error.message).toBe('endedAt is before startedAt');
    expect(results[2]!.conversation).toBeNull();
    expect(results[1]!.conversation.id).toBe(existingId);
    expect(results[3]!.conversation.id).toBe(results[0]!.conversation.id);
    expect(results[3]!.conversation.summary).toBe('Second version');

    const updated = await read(tenant.auth, existingId);
    expect(updated.outcome).toBe('ESCALATED');
    expect(updated.messages.edges.map((edge: any) => edge.node.content)).toEqual(['Only turn now']);
    expect(updated.actions).toEqual([]);
    expect((await read(tenant.auth, results[0]!.conversation.id)).summary).toBe('Second version');
    const counts = await countRows(tenant.organizationId);
    expect(counts).toMatchObject({ conversations: 3, messages: 1 + 20 + 20, events: 12, followUps: 6, tickets: 6 });
    // call-11 completed once: its repeat is an update of a completed conversation, not a second completion.
    const jobs = await server.app.database.forOrganization(tenant.organizationId).db.job.findMany({ where: { kind: 'analyze_conversation' } });
    expect(jobs.map((job) => job.dedupeKey).sort()).toEqual([existingId, results[0]!.conversation.id, results[4]!.conversation.id].sort());
  });

  it('an item referring to an unknown agent or contact, or to a missing turn, fails alone with the per-item error', async () => {
    const tenant = await server.createTenant();
    const other = await server.createTenant();
    await upsertAgents(tenant.auth, [{ externalId: 'supervisor' }]);
    await upsertAgents(other.auth, [{ externalId: 'supervisor' }]);
    const ghostAgent = call(21, {
      agents: [{ externalId: 'only-in-bad-item', name: 'Nobody' }],
      messages: [{ sequence: 0, senderRole: 'AGENT', agentExternalId: 'ghost', content: 'boo' }, { sequence: 1, senderRole: 'AGENT', agentExternalId: 'ghost-2', content: 'boo' }],
      actions: [],
      transfers: [],
      events: [],
    });
    const ghostContact = call(22, { messages: [{ sequence: 0, senderRole: 'USER', contactExternalId: 'nobody', content: 'hi' }], actions: [] });
    const missingTurn = call(23, { actions: [{ functionName: 'x', status: 'SUCCESS', messageSequence: 2 }, { functionName: 'y', status: 'SUCCESS', messageSequence: 99 }] });
    const results = await ingestMany(tenant.auth, [call(20), ghostAgent, ghostContact, missingTurn, call(24)]);
    expect(results.map((item) => [item.externalId, item.created, item.error?.code ?? null])).toEqual([
      ['call-20', true, null],
      ['call-21', null, 'BAD_USER_INPUT'],
      ['call-22', null, 'BAD_USER_INPUT'],
      ['call-23', null, 'BAD_USER_INPUT'],
      ['call-24', true, null],
    ]);
    // Exactly what ingestConversation answers for the same input.
    for (const [position, input] of [[1, ghostAgent], [2, ghostContact], [3, missingTurn]] as const) {
      const single = await ingestOne(other.auth, input);
      expect(results[position]!.error).toEqual({ code: single.errors![0]!.extensions!.code, message: single.errors![0]!.message });
    }
    expect(results[1]!.error.message).toBe('Unknown agent external id(s): ghost, ghost-2 — list them under agents');
    expect(results[2]!.error.message).toBe('Unknown contact external id(s): nobody — list them under contacts');
    expect(results[3]!.error.message).toBe('actions[1].messageSequence 99 is not a message of this conversation');
    // Nothing of a refused item is stored, not even the agents it listed.
    const agents = await list(tenant.auth, AGENTS);
    expect(agents.map((agent) => agent.externalId)).toEqual(['ava', 'human-20', 'human-24', 'supervisor']);
    expect(await countRows(tenant.organizationId)).toMatchObject({ conversations: 2, messages: 40 });
  });

  it('resolves references between items as a one-by-one ingest in input order would', async () => {
    const tenant = await server.createTenant();
    await upsertAgents(tenant.auth, [{ externalId: 'supervisor' }]);
    await ingestOne(tenant.auth, call(30));
    const refersTo = (index: number, agent: string) =>
      call(index, { agents: [], contacts: [], messages: [{ sequence: 0, senderRole: 'AGENT', agentExternalId: agent, content: 'x' }], actions: [], transfers: [], events: [] });
    const results = await ingestMany(tenant.auth, [
      call(30, { agents: [{ externalId: 'listed-by-reingest', name: 'R' }], actions: [], transfers: [], events: [] }), // per-item path, first
      refersTo(31, 'listed-by-reingest'), // listed by an earlier item: fine
      refersTo(32, 'listed-later'), // listed only by a later item: unknown at its turn
      call(33, { agents: [...call(33).agents, { externalId: 'listed-later' }] }),
      refersTo(34, 'listed-later'), // listed by an earlier new item: fine
    ]);
    expect(results.map((item) => [item.externalId, item.created, item.error?.message ?? null])).toEqual([
      ['call-30', false, null],
      ['call-31', true, null],
      ['call-32', null, 'Unknown agent external id(s): listed-later — list them under agents'],
      ['call-33', true, null],
      ['call-34', true, null],
    ]);
    const sender = async (id: string) => (await read(tenant.auth, id)).messages.edges[0].node.sender;
    expect((await sender(results[1]!.conversation.id)).externalId).toBe('listed-by-reingest');
    expect((await sender(results[4]!.conversation.id)).externalId).toBe('listed-later');
  });

  it('when the batch transaction fails, every item goes the per-item path: the bad one gets its own error, the others are stored', async () => {
    const tenant = await server.createTenant();
    const other = await server.createTenant();
    for (const { auth } of [tenant, other]) await upsertAgents(auth, [{ externalId: 'supervisor' }]);
    // A NUL character passes every check in JavaScript; only the database refuses it.
    const bad = call(41, { summary: 'nul \u0000 here' });
    const results = await ingestMany(tenant.auth, [call(40), bad, call(42)]);
    const single = await ingestOne(other.auth, bad);
    expect(single.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(results.map((item) => [item.externalId, item.created, item.error])).toEqual([
      ['call-40', true, null],
      ['call-41', null, { code: single.errors![0]!.extensions!.code, message: single.errors![0]!.message }],
      ['call-42', true, null],
    ]);
    expect(await countRows(tenant.organizationId)).toMatchObject({ conversations: 2, messages: 40, events: 8 });
  });
});

describe('ingestConversations: idempotency, analysis and webhooks', () => {
  it('a batch sent again duplicates nothing; completed conversations get one analysis job and one delivery per subscribed endpoint', async () => {
    const tenant = await server.createTenant();
    await upsertAgents(tenant.auth, [{ externalId: 'supervisor' }]);
    const subscribed = [await createEndpoint(tenant.auth, ['conversation.completed']), await createEndpoint(tenant.auth, ['conversation.completed', 'conversation.analysisCompleted'])];
    const notSubscribed = await createEndpoint(tenant.auth, ['conversation.analysisCompleted']);
    const inputs = [call(50), call(51), call(52, { endedAt: null }), call(53)];

    const first = await ingestMany(tenant.auth, inputs);
    expect(first.map((item) => item.created)).toEqual([true, true, true, true]);
    const afterFirst = await countRows(tenant.organizationId);
    expect(afterFirst).toMatchObject({ conversations: 4, messages: 80, conversationAgents: 8, participants: 8, actions: 12, tickets: 8, transfers: 4, events: 16, followUps: 8 });
    expect(afterFirst.webhookDeliveries).toBe(3 * subscribed.length);
    expect(afterFirst.jobs).toBe(3 + 3 * subscribed.length);

    const again = await ingestMany(tenant.auth, inputs);
    expect(again.map((item) => [item.created, item.conversation.id])).toEqual(first.map((item) => [false, item.conversation.id]));
    expect(await countRows(tenant.organizationId)).toEqual(afterFirst);

    const { db } = server.app.database.forOrganization(tenant.organizationId);
    const completedIds = [first[0], first[1], first[3]].map((item) => item!.conversation.id);
    const analysisJobs = await db.job.findMany({ where: { kind: 'analyze_conversation' } });
    expect(analysisJobs.map((job) => job.dedupeKey).sort()).toEqual([...completedIds].sort());
    for (const job of analysisJobs) {
      expect(job).toMatchObject({ status: 'QUEUED', attempts: 0, maxAttempts: 5, payload: { conversationId: job.dedupeKey } });
    }
    expect(first[2]!.conversation.analysisStatus).toBe('NOT_REQUESTED');

    for (const endpointId of subscribed) {
      const deliveries = await db.webhookDelivery.findMany({ where: { endpointId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      expect(deliveries.map((delivery) => (delivery.payload as any).data.externalId)).toEqual(['call-50', 'call-51', 'call-53']);
      for (const [position, delivery] of deliveries.entries()) {
        const conversation = first[[0, 1, 3][position]!]!.conversation;
        expect(delivery).toMatchObject({ eventType: 'conversation.completed', status: 'PENDING', attemptCount: 0 });
        expect(delivery.payload).toEqual({
          type: 'conversation.completed',
          timestamp: expect.any(String),
          data: {
            id: conversation.id,
            externalId: conversation.externalId,
            channel: 'VOICE',
            direction: conversation.direction,
            startedAt: conversation.startedAt,
            endedAt: conversation.endedAt,
            durationSeconds: 50,
            endedBy: 'USER',
            endReason: 'user_hangup',
            outcome: 'RESOLVED',
            status: 'COMPLETED',
            origin: 'api',
            metaData: conversation.metaData,
          },
        });
        const jobs = await db.job.findMany({ where: { kind: 'deliver_webhook', dedupeKey: delivery.id } });
        expect(jobs.map((job) => [job.status, job.payload, job.maxAttempts])).toEqual([['QUEUED', { deliveryId: delivery.id }, 50]]);
      }
    }
    expect(await db.webhookDelivery.count({ where: { endpointId: notSubscribed } })).toBe(0);
  });
});

describe('ingestConversations: tenancy', () => {
  it("never reuses another organization's agent with the same external id", async () => {
    const owner = await server.createTenant();
    const [theirs] = await upsertAgents(owner.auth, [{ externalId: 'twin', name: 'Theirs' }]);
    const tenant = await server.createTenant();
    await upsertAgents(tenant.auth, [{ externalId: 'supervisor' }]);
    const refers = call(60, { agents: [], messages: [{ sequence: 0, senderRole: 'AGENT', agentExternalId: 'twin', content: 'x' }], actions: [], transfers: [], events: [] });
    const lists = call(61, { agents: [{ externalId: 'twin', name: 'Mine' }], messages: [{ sequence: 0, senderRole: 'AGENT', agentExternalId: 'twin', content: 'x' }], actions: [], transfers: [], events: [] });
    const results = await ingestMany(tenant.auth, [refers, lists]);
    expect(results.map((item) => [item.created, item.error?.message ?? null])).toEqual([
      [null, 'Unknown agent external id(s): twin — list them under agents'],
      [true, null],
    ]);
    const mine = (await read(tenant.auth, results[1]!.conversation.id)).agents[0].agent;
    expect(mine).toMatchObject({ externalId: 'twin', name: 'Mine' });
    expect(mine.id).not.toBe(theirs!.id);
    expect(await list(owner.auth, AGENTS)).toEqual([{ id: theirs!.id, externalId: 'twin', origin: 'api', name: 'Theirs', email: null, phoneNumber: null, internal: true, otherInfo: null }]);
  });
});

describe('ingestConversations: SQL statements per batch', () => {
  it('a batch of 50 new conversations costs the statements a batch of 10 does, one per table', async () => {
    const tenant = await server.createTenant();
    await upsertAgents(tenant.auth, [{ externalId: 'supervisor' }]);
    await createEndpoint(tenant.auth, ['conversation.completed']);
    const batchOf = async (from: number, size: number) => {
      statements = [];
      recording = true;
      const results = await ingestMany(tenant.auth, Array.from({ length: size }, (_, offset) => call(from + offset)));
      recording = false;
      expect(results.every((item) => item.created === true)).toBe(true);
      return [...statements];
    };
    const small = await batchOf(100, 10);
    const large = await batchOf(200, 50);
    if (process.env.SHOW_SQL) console.log(large.map((sql) => sql.replace(/\s+/g, ' ').slice(0, 110)).join('\n'));
    expect(Math.abs(large.length - small.length), `10 → ${small.length}, 50 → ${large.length}`).toBeLessThanOrEqual(2);
    expect(large.length, large.join('\n')).toBeLessThanOrEqual(30);
    for (const table of ['agents', 'contacts', 'conversations', 'messages', 'conversation_agents', 'conversation_participants', 'agent_actions', 'tickets', 'transfers', 'events', 'follow_ups', 'webhook_deliveries']) {
      expect(large.filter((sql) => new RegExp(`INSERT INTO ${table} `).test(sql)), table).toHaveLength(1);
    }
    expect(await countRows(tenant.organizationId)).toMatchObject({ conversations: 60, messages: 1200, events: 240, webhookDeliveries: 60, jobs: 120 });
  });
});

describe('one write path: a single ingest is a batch of one', () => {
  const writes = (sql: string[]) => sql.filter((statement) => /^(INSERT|UPDATE|DELETE)/.test(statement));

  it('ingestConversation writes through the same set-based statements as a batch, and so does a re-ingest', async () => {
    const tenant = await server.createTenant();
    await upsertAgents(tenant.auth, [{ externalId: 'supervisor' }]);
    statements = [];
    recording = true;
    const created = await ingestOne(tenant.auth, call(300));
    recording = false;
    expect(created.errors).toBeUndefined();
    const single = writes(statements);
    for (const table of ['conversations', 'messages', 'conversation_agents', 'agent_actions', 'tickets', 'events', 'follow_ups']) {
      expect(single.filter((sql) => new RegExp(`^INSERT INTO ${table} `).test(sql)), table).toHaveLength(1);
    }
    expect(single.filter((sql) => /"public"\."(conversations|messages)"/.test(sql)), 'no Prisma per-row writes').toEqual([]);

    // Three stored conversations re-ingested together, a turn of each changed: one UPDATE of conversations, one write of messages.
    await ingestMany(tenant.auth, [call(301), call(302)]);
    const retold = (index: number, extra: Record<string, unknown> = {}) => {
      const input = call(index, extra);
      return { ...input, messages: input.messages.map((message) => (message.sequence === 7 ? { ...message, content: `retold ${index}` } : message)) };
    };
    statements = [];
    recording = true;
    const again = await ingestMany(tenant.auth, [300, 301, 302].map((index) => retold(index, { summary: `changed ${index}` })));
    recording = false;
    expect(again.map((item) => [item.created, item.status, item.error])).toEqual([[false, 'UPDATED', null], [false, 'UPDATED', null], [false, 'UPDATED', null]]);
    const batch = writes(statements);
    expect(batch.filter((sql) => /^UPDATE conversations /.test(sql))).toHaveLength(1);
    expect(batch.filter((sql) => /^INSERT INTO messages /.test(sql))).toHaveLength(1);
    expect(batch.filter((sql) => /^INSERT INTO conversations /.test(sql))).toEqual([]);

    // Only a conversation field changed: the one UPDATE, and nothing the conversations own is rewritten
    // (the agents and contacts they list are stored: their INSERT … ON CONFLICT DO NOTHING writes no row).
    statements = [];
    recording = true;
    const fieldOnly = await ingestMany(tenant.auth, [300, 301, 302].map((index) => retold(index, { summary: `changed again ${index}` })));
    recording = false;
    expect(fieldOnly.map((item) => item.status)).toEqual(['UPDATED', 'UPDATED', 'UPDATED']);
    expect(writes(statements).map((sql) => sql.split(/\s+/).slice(0, 3).join(' '))).toEqual(['INSERT INTO agents', 'INSERT INTO contacts', 'UPDATE conversations AS']);
    expect(await countRows(tenant.organizationId)).toMatchObject({ conversations: 3, messages: 60, events: 12, followUps: 6 });
  });

  it('two first-time ingests of one external id at once: one creates it, the other updates it', async () => {
    const tenant = await server.createTenant();
    await upsertAgents(tenant.auth, [{ externalId: 'supervisor' }]);
    const [a, b] = await Promise.all([ingestOne(tenant.auth, call(310, { summary: 'a' })), ingestOne(tenant.auth, call(310, { summary: 'b' }))]);
    expect(a.errors ?? b.errors).toBeUndefined();
    expect([a.data!.ingestConversation.created, b.data!.ingestConversation.created].sort()).toEqual([false, true]);
    expect(a.data!.ingestConversation.conversation.id).toBe(b.data!.ingestConversation.conversation.id);
    expect(await countRows(tenant.organizationId)).toMatchObject({ conversations: 1, messages: 20, events: 4 });
  });
});

describe('ingestConversations: agents and contacts that do not change', () => {
  const AGENT_STAMPS = `{ agents(first: 100) { edges { node { id externalId name email phoneNumber internal otherInfo updatedAt } } } }`;
  const small = (index: number, agents: unknown[], contacts: unknown[]) =>
    call(index, { agents, contacts, messages: [{ sequence: 0, senderRole: 'USER', content: 'hi' }], actions: [], tickets: [], transfers: [], events: [] });
  const contactsOf = async (tenant: Tenant) =>
    (await server.app.database.forOrganization(tenant.organizationId).db.contact.findMany({ orderBy: { externalId: 'asc' } })).map((row) => ({
      externalId: row.externalId,
      name: row.name,
      phoneNumber: row.phoneNumber,
      doNotDisturb: row.doNotDisturb,
      metaData: row.metaData,
      updatedAt: row.updatedAt.toISOString(),
    }));

  it('leaves an unchanged agent or contact as stored (not rewritten), updates a changed one, and never overwrites with a null field', async () => {
    const tenant = await server.createTenant();
    const first = await ingestMany(tenant.auth, [
      small(
        400,
        [
          { externalId: 'steady', name: 'Steady', email: 'steady@example.com', internal: false, otherInfo: { team: 'a' } },
          { externalId: 'renamed', name: 'Old name', phoneNumber: '+15550003333' },
          { externalId: 'sparse', name: 'Sparse', internal: false, otherInfo: { keep: true } },
        ],
        [
          { externalId: 'kept', name: 'Kept', doNotDisturb: true, metaData: { vip: true } },
          { externalId: 'moved', name: 'Moved', phoneNumber: '+15550004444' },
        ],
      ),
    ]);
    expect(first.map((item) => [item.created, item.error])).toEqual([[true, null]]);
    const agentsBefore = new Map((await list(tenant.auth, AGENT_STAMPS)).map((agent) => [agent.externalId, agent]));
    const contactsBefore = new Map((await contactsOf(tenant)).map((contact) => [contact.externalId, contact]));
    await new Promise((resolve) => setTimeout(resolve, 5)); // a rewrite would get a distinct now()

    statements = [];
    recording = true;
    const second = await ingestMany(tenant.auth, [
      small(
        401,
        [
          // The same fields again, and fields left out or null: nothing to change.
          { externalId: 'steady', name: 'Steady', email: 'steady@example.com', internal: false, otherInfo: { team: 'a' } },
          { externalId: 'sparse', name: null, email: null, internal: null, otherInfo: null },
          { externalId: 'renamed', name: 'New name' },
        ],
        [
          { externalId: 'kept', name: null, doNotDisturb: null, metaData: null },
          { externalId: 'moved', phoneNumber: '+15550005555' },
        ],
      ),
    ]);
    recording = false;
    expect(second.map((item) => [item.created, item.error])).toEqual([[true, null]]);
    // Still the set-based path: one insert per table, no upsert of agents or contacts.
    expect(statements.filter((sql) => /^INSERT INTO (agents|contacts) /.test(sql))).toHaveLength(2);
    expect(statements.filter((sql) => /ON CONFLICT .* DO UPDATE/s.test(sql) && /INSERT INTO (agents|contacts) /.test(sql))).toEqual([]);

    const agentsAfter = new Map((await list(tenant.auth, AGENT_STAMPS)).map((agent) => [agent.externalId, agent]));
    expect(agentsAfter.get('steady')).toEqual(agentsBefore.get('steady'));
    expect(agentsAfter.get('sparse')).toEqual(agentsBefore.get('sparse'));
    expect(agentsAfter.get('sparse')).toMatchObject({ name: 'Sparse', email: null, internal: false, otherInfo: { keep: true } });
    const renamed = agentsAfter.get('renamed')!;
    expect(renamed).toMatchObject({ id: agentsBefore.get('renamed')!.id, name: 'New name', phoneNumber: '+15550003333' });
    expect(new Date(renamed.updatedAt).getTime()).toBeGreaterThan(new Date(agentsBefore.get('renamed')!.updatedAt).getTime());

    const contactsAfter = new Map((await contactsOf(tenant)).map((contact) => [contact.externalId, contact]));
    expect(contactsAfter.get('kept')).toEqual(contactsBefore.get('kept'));
    expect(contactsAfter.get('kept')).toMatchObject({ name: 'Kept', doNotDisturb: true, metaData: { vip: true } });
    expect(contactsAfter.get('moved')).toMatchObject({ name: 'Moved', phoneNumber: '+15550005555', doNotDisturb: false });
    expect(contactsAfter.get('moved')!.updatedAt > contactsBefore.get('moved')!.updatedAt).toBe(true);

    expect(await countRows(tenant.organizationId)).toMatchObject({ conversations: 2, agents: 3, contacts: 2 });
  });
});
