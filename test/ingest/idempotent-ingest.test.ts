import { readFileSync } from 'node:fs';
import { buildSchema, getNamedType, isInterfaceType, isLeafType, isNonNullType, isObjectType, isUnionType, type GraphQLNamedType, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisJobHandler } from '../../src/analysis/analysis-pipeline.js';
import { ANALYZE_CONVERSATION } from '../../src/analysis/analysis-queue.js';
import { createAnalysisProvider } from '../../src/analysis/provider-factory.js';
import { loadConfig } from '../../src/config/config.js';
import { Worker } from '../../src/jobs/worker.js';
import { silentLogger } from '../support/silent-logger.js';
import { startTestServer, TEST_JWT_SECRET, type Auth, type TestServer } from '../support/test-server.js';

/**
 * Item 3 of issue 11: the same payload again (GraphQL ingest, the Oration webhook) changes
 * nothing; a changed one updates only what changed and re-queues the analysis only when the
 * turns changed; an Oration `eventId` seen before by the organization is a duplicate.
 */

let server: TestServer;
let seedPayload: Record<string, any>;
beforeAll(async () => {
  server = await startTestServer();
  seedPayload = JSON.parse(readFileSync(new URL('../fixtures/oration-analysis-completed.json', import.meta.url), 'utf8'));
});
afterAll(async () => {
  await server?.stop();
});

const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));

/**
 * A selection of every field of `type`, nested types included (up to `depth` levels, no type twice
 * on one path, fields with required arguments left out): the WHOLE conversation as a client reads it.
 */
function everyField(schema: GraphQLSchema, type: GraphQLNamedType, depth: number, path: string[] = []): string {
  if (isLeafType(type)) return '';
  if (isUnionType(type)) {
    return `{ __typename ${type.getTypes().map((member) => `... on ${member.name} ${everyField(schema, member, depth, path)}`).join(' ')} }`;
  }
  if (!isObjectType(type) && !isInterfaceType(type)) return '';
  const fields = Object.values(type.getFields()).flatMap((field) => {
    if (field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined)) return [];
    const named = getNamedType(field.type);
    if (isLeafType(named)) return [field.name];
    if (depth === 0 || path.includes(named.name)) return [];
    const selection = everyField(schema, named, depth - 1, [...path, type.name]);
    return selection && selection !== '{  }' ? [`${field.name} ${selection}`] : [];
  });
  return `{ ${fields.join(' ')} }`;
}

const READ_WHOLE = `query($id: UUID!) { conversation(id: $id) ${everyField(schema, schema.getType('Conversation')!, 4, ['Query'])} }`;

const INGEST = `mutation($input: IngestConversationInput!) {
  ingestConversation(input: $input) { created status conversation { id updatedAt analysisStatus } }
}`;
const INGEST_MANY = `mutation($inputs: [IngestConversationInput!]!) {
  ingestConversations(inputs: $inputs) { index created status error { code } conversation { id updatedAt } }
}`;

const localConfig = loadConfig({ JWT_SECRET: TEST_JWT_SECRET, ANALYSIS_PROVIDER: 'local' });

/** Runs the tenant's queued analyses until none is left, then answers the conversation's analysis status. */
async function analyse(organizationId: string, conversationId: string): Promise<string> {
  const worker = new Worker(server.app.database, silentLogger, { [ANALYZE_CONVERSATION]: analysisJobHandler(server.app.database, createAnalysisProvider(localConfig.analysis), silentLogger) }, { organizationIds: [organizationId] });
  while ((await worker.runOnce()) > 0);
  return (await readWhole(conversationId, { organizationId })).analysisStatus;
}

async function readWhole(id: string, tenant: { organizationId: string }): Promise<Record<string, any>> {
  const read = await server.graphql(READ_WHOLE, { id }, { token: server.memberToken(tenant.organizationId) });
  expect(read.errors, JSON.stringify(read.errors)).toBeUndefined();
  expect(read.data!.conversation).not.toBeNull();
  return read.data!.conversation;
}

async function post(body: unknown, auth: { apiKey: string }) {
  const response = await fetch(`${server.url}/webhooks/oration`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': auth.apiKey },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** What a tenant has queued and emitted: analysis jobs and outbound webhook deliveries, by id. */
async function sideEffects(organizationId: string) {
  const { db } = server.app.database.forOrganization(organizationId);
  const jobs = await db.job.findMany({ where: { kind: ANALYZE_CONVERSATION }, orderBy: { id: 'asc' }, select: { id: true, status: true } });
  const deliveries = await db.webhookDelivery.findMany({ orderBy: { id: 'asc' }, select: { id: true, eventType: true } });
  return { jobs, deliveries };
}

async function subscribe(auth: Auth) {
  const response = await server.graphql(
    'mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }',
    { input: { url: 'http://127.0.0.1:9/hook', eventTypes: ['conversation.completed', 'conversation.analysisCompleted'] } },
    auth,
  );
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
}

function salesCall(externalId: string, overrides: Record<string, unknown> = {}) {
  const at = (seconds: number) => new Date(Date.UTC(2026, 10, 10, 14, 0, seconds)).toISOString();
  return {
    externalId,
    channel: 'VOICE',
    startedAt: at(0),
    endedAt: at(60),
    recordingUrl: 'https://recordings.example/1.mp3',
    metaData: { crm: { lead: 7, tags: ['b', 'a'] } },
    agents: [{ externalId: 'leo', name: 'Leo', usages: [{ externalId: 'u1', activatedAt: at(0), deactivatedAt: at(60) }] }],
    contacts: [{ externalId: 'maria', name: 'Maria', sessions: [{ joinedAt: at(0), leftAt: at(60) }] }],
    messages: [
      { sequence: 0, senderRole: 'AGENT', agentExternalId: 'leo', content: 'Hi, this is Leo from Acme. Are you interested in our premium plan?', sentAt: at(0) },
      { sequence: 1, senderRole: 'USER', contactExternalId: 'maria', content: 'Yes, I am interested. My name is Maria.', sentAt: at(10) },
      { sequence: 2, senderRole: 'AGENT', agentExternalId: 'leo', content: 'Great! It costs $99 per month and I can give you 10% off.', sentAt: at(14) },
      { sequence: 3, senderRole: 'USER', contactExternalId: 'maria', content: 'Perfect, let us meet tomorrow at 2 pm to sign.', sentAt: at(20) },
    ],
    actions: [{ agentExternalId: 'leo', messageSequence: 2, functionName: 'get_price', status: 'SUCCESS', inputParameters: { plan: 'premium' } }],
    tickets: [{ ticketId: 'INC1', action: 'CREATED' }],
    transfers: [{ externalId: 't1', agentExternalId: 'leo', startedAt: at(30), status: 'transfer_connected' }],
    events: [{ externalId: 'e1', eventType: 'CUSTOMER_INFORMATION_DETECTION', eventSubtype: 'NAME', payload: { VALUE: 'Maria' } }],
    ...overrides,
  };
}

async function ingest(auth: Auth, input: unknown) {
  const response = await server.graphql(INGEST, { input }, auth);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.ingestConversation as { created: boolean; status: string; conversation: { id: string; updatedAt: string; analysisStatus: string } };
}

describe('POST /webhooks/oration: a redelivery changes nothing', () => {
  it('seed 003 posted, analysed, posted again: 200 duplicate, the whole conversation reads back equal, nothing queued or emitted', async () => {
    const tenant = await server.createTenant();
    await subscribe(tenant.auth);
    const first = await post(seedPayload, tenant);
    expect(first).toMatchObject({ status: 201, body: { created: true, status: 'CREATED', duplicate: false } });
    const id = first.body.conversationId as string;
    expect(await analyse(tenant.organizationId, id)).toBe('COMPLETED');

    const before = await readWhole(id, tenant);
    // The analysis wrote what the redelivery used to erase (summary, topics) and it is all in the read.
    expect(before.summary).toEqual(expect.any(String));
    expect(before.topics.length).toBeGreaterThan(0);
    expect(before.analyses.length).toBeGreaterThan(0);
    expect(before.messages.edges).toHaveLength(2);
    const effects = await sideEffects(tenant.organizationId);
    expect(effects.deliveries.map((delivery) => delivery.eventType).sort()).toEqual(['conversation.analysisCompleted', 'conversation.completed']);

    const again = await post(seedPayload, tenant);
    expect(again).toEqual({ status: 200, body: { conversationId: id, externalId: 'conv_1234567890abcdef', created: false, status: 'UNCHANGED', duplicate: true } });
    expect(await readWhole(id, tenant)).toEqual(before);
    expect(await sideEffects(tenant.organizationId)).toEqual(effects);
  });

  it('the same eventId with another payload is a duplicate too: it touches nothing', async () => {
    const tenant = await server.createTenant();
    const first = await post(seedPayload, tenant);
    const before = await readWhole(first.body.conversationId, tenant);
    const effects = await sideEffects(tenant.organizationId);
    const altered = structuredClone(seedPayload);
    altered.payload.recordingUrl = 'https://elsewhere.example/other.mp4';
    altered.payload.transcript = 'agent: Something else entirely';
    const again = await post(altered, tenant);
    expect(again).toMatchObject({ status: 200, body: { conversationId: first.body.conversationId, status: 'UNCHANGED', duplicate: true } });
    expect(await readWhole(first.body.conversationId, tenant)).toEqual(before);
    expect(await sideEffects(tenant.organizationId)).toEqual(effects);
  });

  it('a new delivery (eventId) of the analysed conversation updates what it changed and keeps the analysis output, without re-queueing', async () => {
    const tenant = await server.createTenant();
    const first = await post(seedPayload, tenant);
    const id = first.body.conversationId as string;
    expect(await analyse(tenant.organizationId, id)).toBe('COMPLETED');
    const before = await readWhole(id, tenant);
    const effects = await sideEffects(tenant.organizationId);

    const next = structuredClone(seedPayload);
    next.eventId = 'evt_second_delivery';
    next.payload.recordingStatus = 'archived';
    const again = await post(next, tenant);
    expect(again).toMatchObject({ status: 200, body: { conversationId: id, created: false, status: 'UPDATED', duplicate: false } });
    const after = await readWhole(id, tenant);
    expect(after.recordingStatus).toBe('archived');
    expect(after.metaData.eventId).toBe('evt_second_delivery');
    expect(after.sourcePayload).toEqual({ ...before.sourcePayload, recordingStatus: 'archived' });
    expect(after.updatedAt > before.updatedAt).toBe(true);
    // Everything else reads as before: the analysis' summary, topics, outcome reason and sentiment included.
    const { recordingStatus: _a, metaData: _b, updatedAt: _c, sourcePayload: _g, ...rest } = after;
    const { recordingStatus: _d, metaData: _e, updatedAt: _f, sourcePayload: _h, ...restBefore } = before;
    expect(rest).toEqual(restBefore);
    expect(after.analysisStatus).toBe('COMPLETED');
    expect(await sideEffects(tenant.organizationId)).toEqual(effects);

    // That delivery again is a duplicate too.
    expect(await post(next, tenant)).toMatchObject({ status: 200, body: { status: 'UNCHANGED', duplicate: true } });
    expect(await readWhole(id, tenant)).toEqual(after);
  });

  it('two deliveries of one event at once: one creates the conversation, the other is a duplicate', async () => {
    const tenant = await server.createTenant();
    const answers = await Promise.all([post(seedPayload, tenant), post(seedPayload, tenant)]);
    expect(answers.map((answer) => [answer.status, answer.body.status, answer.body.duplicate]).sort()).toEqual([
      [200, 'UNCHANGED', true],
      [201, 'CREATED', false],
    ]);
    expect(answers[0]!.body.conversationId).toBe(answers[1]!.body.conversationId);
    const { jobs } = await sideEffects(tenant.organizationId);
    expect(jobs).toHaveLength(1);
    expect(await server.app.database.forOrganization(tenant.organizationId).db.orationDelivery.count()).toBe(1);
  });

  it('the same eventId in two organizations: each is its own delivery', async () => {
    const a = await server.createTenant();
    const b = await server.createTenant();
    const inA = await post(seedPayload, a);
    const aBefore = await readWhole(inA.body.conversationId, a);
    const inB = await post(seedPayload, b);
    expect(inB).toMatchObject({ status: 201, body: { created: true, status: 'CREATED', duplicate: false } });
    expect(inB.body.conversationId).not.toBe(inA.body.conversationId);
    expect(await post(seedPayload, b)).toMatchObject({ status: 200, body: { conversationId: inB.body.conversationId, duplicate: true } });
    expect(await readWhole(inA.body.conversationId, a)).toEqual(aBefore);
    // Neither organization reads the other's conversation or delivery.
    const cross = await server.graphql('query($id: UUID!) { conversation(id: $id) { id } }', { id: inA.body.conversationId }, b.auth);
    expect(cross.data?.conversation ?? null).toBeNull();
    const rows = await Promise.all([a, b].map((tenant) => server.app.database.forOrganization(tenant.organizationId).db.orationDelivery.findMany()));
    expect(rows.map((list) => list.map((row) => [row.eventId, row.conversationId]))).toEqual([
      [['evt_01234567890abcdef', inA.body.conversationId]],
      [['evt_01234567890abcdef', inB.body.conversationId]],
    ]);
  });
});

describe('ingestConversation / ingestConversations: the same payload again changes nothing', () => {
  it('ingested, analysed, ingested again: UNCHANGED, the whole conversation reads back equal, nothing queued or emitted', async () => {
    const tenant = await server.createTenant();
    await subscribe(tenant.auth);
    const first = await ingest(tenant.auth, salesCall('same-1'));
    expect(first).toMatchObject({ created: true, status: 'CREATED', conversation: { analysisStatus: 'PENDING' } });
    const id = first.conversation.id;
    expect(await analyse(tenant.organizationId, id)).toBe('COMPLETED');
    const before = await readWhole(id, tenant);
    expect(before.summary).toEqual(expect.any(String));
    expect(before.events.some((event: any) => event.source === 'DETECTED')).toBe(true);
    expect(before.messages.edges.every((edge: any) => typeof edge.node.sentimentScore === 'number')).toBe(true);
    const effects = await sideEffects(tenant.organizationId);

    // Keys in another order and explicit nulls are the same payload.
    const reordered = Object.fromEntries(Object.entries({ ...salesCall('same-1'), direction: null, summary: null }).reverse());
    const again = await ingest(tenant.auth, reordered);
    expect(again).toEqual({ created: false, status: 'UNCHANGED', conversation: { id, updatedAt: before.updatedAt, analysisStatus: 'COMPLETED' } });
    const bulk = await server.graphql(INGEST_MANY, { inputs: [salesCall('same-1')] }, tenant.auth);
    expect(bulk.data!.ingestConversations).toEqual([{ index: 0, created: false, status: 'UNCHANGED', error: null, conversation: { id, updatedAt: before.updatedAt } }]);

    expect(await readWhole(id, tenant)).toEqual(before);
    expect(await sideEffects(tenant.organizationId)).toEqual(effects);
  });

  it('a changed non-message field updates that field only, keeps the analysis output and does not re-queue', async () => {
    const tenant = await server.createTenant();
    const { conversation } = await ingest(tenant.auth, salesCall('field-1'));
    expect(await analyse(tenant.organizationId, conversation.id)).toBe('COMPLETED');
    const before = await readWhole(conversation.id, tenant);
    const effects = await sideEffects(tenant.organizationId);

    const changed = await ingest(tenant.auth, salesCall('field-1', { recordingUrl: 'https://recordings.example/1-v2.mp3' }));
    expect(changed).toMatchObject({ created: false, status: 'UPDATED', conversation: { id: conversation.id, analysisStatus: 'COMPLETED' } });
    const after = await readWhole(conversation.id, tenant);
    expect(after.recordingUrl).toBe('https://recordings.example/1-v2.mp3');
    const { recordingUrl: _a, updatedAt: _b, ...rest } = after;
    const { recordingUrl: _c, updatedAt: _d, ...restBefore } = before;
    // Same summary, topics, outcome, sentiment, turns (ids, analysed sentiment), actions, tickets, events…
    expect(rest).toEqual(restBefore);
    expect(await sideEffects(tenant.organizationId)).toEqual(effects);
  });

  it('a changed message re-queues the analysis; the rest of what the conversation owns keeps its rows', async () => {
    const tenant = await server.createTenant();
    await subscribe(tenant.auth);
    const input = salesCall('turn-1');
    const { conversation } = await ingest(tenant.auth, input);
    expect(await analyse(tenant.organizationId, conversation.id)).toBe('COMPLETED');
    const before = await readWhole(conversation.id, tenant);
    const effects = await sideEffects(tenant.organizationId);

    const messages = input.messages.map((message) => (message.sequence === 3 ? { ...message, content: 'No thanks, it is too expensive for me.' } : message));
    const changed = await ingest(tenant.auth, { ...input, messages });
    expect(changed).toMatchObject({ created: false, status: 'UPDATED', conversation: { id: conversation.id, analysisStatus: 'PENDING' } });
    const queued = await sideEffects(tenant.organizationId);
    expect(queued.jobs).toHaveLength(effects.jobs.length + 1);
    expect(queued.jobs.filter((job) => job.status === 'QUEUED')).toHaveLength(1);
    // Not newly completed: no second conversation.completed.
    expect(queued.deliveries).toEqual(effects.deliveries);

    const after = await readWhole(conversation.id, tenant);
    const turns = (read: Record<string, any>) => read.messages.edges.map((edge: any) => [edge.node.id, edge.node.sequence, edge.node.content]);
    expect(turns(after)).toEqual(turns(before).map(([id, sequence, content]: [string, number, string]) => [id, sequence, sequence === 3 ? 'No thanks, it is too expensive for me.' : content]));
    // The analysis output stays until the new run replaces it.
    expect(after.summary).toBe(before.summary);
    expect(await analyse(tenant.organizationId, conversation.id)).toBe('COMPLETED');
    const reanalysed = await readWhole(conversation.id, tenant);
    expect(reanalysed.analyses.filter((analysis: any) => analysis.supersededAt === null).length).toBeGreaterThan(0);
    expect(reanalysed.analyses.length).toBeGreaterThan(before.analyses.length);
  });

  it('a payload that leaves out a field the analysis filled never erases it', async () => {
    const tenant = await server.createTenant();
    const { conversation } = await ingest(tenant.auth, salesCall('keep-1', { summary: 'Partner summary', topics: ['pricing'] }));
    expect(await analyse(tenant.organizationId, conversation.id)).toBe('COMPLETED');
    const sides = `query($id: UUID!) { conversation(id: $id) { summary topics outcome outcomeReason sentiment { label score }
      reported { summary topics } analysed { summary topics outcome outcomeReason sentiment { label score } } } }`;
    const readSides = async () => (await server.graphql(sides, { id: conversation.id }, tenant.auth)).data!.conversation;
    const before = await readSides();
    expect(before.reported).toEqual({ summary: 'Partner summary', topics: ['pricing'] });
    expect(before.analysed.summary).not.toBeNull();
    await ingest(tenant.auth, salesCall('keep-1', { summary: null, topics: [] }));
    const after = await readSides();
    // The analysis's values stay; the partner no longer reports a summary or topics, so the top level shows the analysed ones.
    expect(after.analysed).toEqual(before.analysed);
    expect(after.reported).toEqual({ summary: null, topics: [] });
    expect([after.summary, after.topics]).toEqual([before.analysed.summary, before.analysed.topics]);
    expect([after.outcome, after.outcomeReason, after.sentiment]).toEqual([before.outcome, before.outcomeReason, before.sentiment]);
  });

  it('an appended message or a completion since the last ingest: the same payload again writes it back as sent', async () => {
    const tenant = await server.createTenant();
    const live = salesCall('live-1', { endedAt: null });
    const { conversation } = await ingest(tenant.auth, live);
    const appended = await server.graphql(
      'mutation($id: UUID!, $messages: [MessageInput!]!) { appendMessages(conversationId: $id, messages: $messages) { id } }',
      { id: conversation.id, messages: [{ sequence: 4, senderRole: 'AGENT', content: 'Anything else?' }] },
      tenant.auth,
    );
    expect(appended.errors).toBeUndefined();
    const again = await ingest(tenant.auth, live);
    expect(again.status).toBe('UPDATED');
    const after = await readWhole(conversation.id, tenant);
    expect(after.messages.edges.map((edge: any) => edge.node.sequence)).toEqual([0, 1, 2, 3]);
  });

  it('tenancy: the same payload in another organization is its own conversation, and changes nothing of the first', async () => {
    const a = await server.createTenant();
    const b = await server.createTenant();
    const inA = await ingest(a.auth, salesCall('twin-1'));
    const aBefore = await readWhole(inA.conversation.id, a);
    const inB = await ingest(b.auth, salesCall('twin-1'));
    expect(inB).toMatchObject({ created: true, status: 'CREATED' });
    expect(inB.conversation.id).not.toBe(inA.conversation.id);
    expect((await ingest(b.auth, salesCall('twin-1'))).status).toBe('UNCHANGED');
    expect(await readWhole(inA.conversation.id, a)).toEqual(aBefore);
  });
});
