import { randomUUID } from 'node:crypto';
import { isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELD_SCOPES } from '../../src/graphql/field-scopes.js';
import { buildAppSchema } from '../../src/graphql/schema.js';
import type { ApiKeyScope } from '../../src/generated/prisma/enums.js';
import { startTestServer, type Auth, type GraphQLResponse, type TestServer } from '../support/test-server.js';

let server: TestServer;
let organizationId: string;
let reader: Auth;
const keys: Partial<Record<'INGEST' | 'MANAGE', Auth>> = {};

async function keyWith(scopes: ApiKeyScope[]): Promise<Auth> {
  const created = await server.graphql<{ createApiKey: { secret: string } }>(
    'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
    { input: { organizationId, name: `key ${scopes.join('+')}`, scopes } },
    { token: server.adminToken },
  );
  return { apiKey: created.data!.createApiKey.secret };
}

beforeAll(async () => {
  server = await startTestServer();
  const tenant = await server.createTenant(['READ']);
  organizationId = tenant.organizationId;
  reader = tenant.auth;
  keys.INGEST = await keyWith(['INGEST']);
  keys.MANAGE = await keyWith(['MANAGE']);
});
afterAll(async () => {
  await server?.stop();
});

const codeOf = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.code;

/** Refused before anything ran: 403 FORBIDDEN naming the fields, no data at all. */
function expectRefused(response: GraphQLResponse, fields: string[]) {
  expect(response.status, JSON.stringify(response)).toBe(403);
  expect(response.data).toBeUndefined();
  expect(response.errors).toHaveLength(1);
  expect(response.errors![0]!.extensions).toEqual({ code: 'FORBIDDEN', fields });
  expect(response.errors![0]!.message).toMatch(/^This credential cannot read .*; that needs READ$/);
}

async function conversationCount() {
  const result = await server.graphql<{ conversations: { totalCount: number } }>('{ conversations { totalCount } }', {}, reader);
  return result.data!.conversations.totalCount;
}

const call = (externalId: string, extra: Record<string, unknown> = {}) => ({
  externalId,
  channel: 'VOICE',
  startedAt: '2026-11-01T10:00:00.000Z',
  agents: [{ externalId: 'ava', name: 'Ava' }],
  messages: [
    { sequence: 0, senderRole: 'AGENT', content: 'Hello' },
    { sequence: 1, senderRole: 'USER', content: 'My card number is 4111…' },
  ],
  ...extra,
});

/**
 * Every mutation, with a selection the credential that may call it can make and one it cannot.
 * `allowed` runs for real or meets a NOT_FOUND (an unknown id): either proves the field check let it through.
 */
type Case = {
  scope: 'INGEST' | 'MANAGE';
  allowed: (context: { conversationId: string }) => [string, Record<string, unknown>];
  refused?: (context: { conversationId: string }) => [string, Record<string, unknown>, string[]];
};

const CASES: Record<string, Case> = {
  ingestConversation: {
    scope: 'INGEST',
    allowed: () => [
      'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { created conversation { id externalId origin status analysisStatus __typename } } }',
      { input: call(`allowed-${randomUUID()}`) },
    ],
    refused: () => [
      'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { created conversation { id summary messages(first: 10) { edges { node { content } } } } } }',
      { input: call(`refused-${randomUUID()}`) },
      ['Conversation.messages', 'Conversation.summary', 'Message.content', 'MessageConnection.edges', 'MessageEdge.node'],
    ],
  },
  ingestConversations: {
    scope: 'INGEST',
    allowed: () => [
      'mutation($inputs: [IngestConversationInput!]!) { ingestConversations(inputs: $inputs) { index externalId created error { code message } conversation { id } } }',
      { inputs: [call(`bulk-${randomUUID()}`)] },
    ],
    refused: () => [
      'mutation($inputs: [IngestConversationInput!]!) { ingestConversations(inputs: $inputs) { index conversation { id topics sentiment { score } } } }',
      { inputs: [call(`bulk-refused-${randomUUID()}`)] },
      ['Conversation.sentiment', 'Conversation.topics', 'Sentiment.score'],
    ],
  },
  appendMessages: {
    scope: 'INGEST',
    allowed: ({ conversationId }) => [
      'mutation($id: UUID!, $messages: [MessageInput!]!) { appendMessages(conversationId: $id, messages: $messages) { id status } }',
      { id: conversationId, messages: [{ sequence: 10, senderRole: 'USER', content: 'more' }] },
    ],
    refused: ({ conversationId }) => [
      // Through a named fragment and an inline one: the check follows both.
      'mutation($id: UUID!, $messages: [MessageInput!]!) { appendMessages(conversationId: $id, messages: $messages) { id ...Transcript } } fragment Transcript on Conversation { ... on Conversation { messages { totalCount } } }',
      { id: conversationId, messages: [{ sequence: 11, senderRole: 'USER', content: 'refused' }] },
      ['Conversation.messages', 'MessageConnection.totalCount'],
    ],
  },
  completeConversation: {
    scope: 'INGEST',
    allowed: () => ['mutation($id: UUID!) { completeConversation(id: $id) { id status analysisStatus } }', { id: randomUUID() }],
    refused: ({ conversationId }) => [
      'mutation($id: UUID!) { completeConversation(id: $id) { id outcome analyses { result } } }',
      { id: conversationId },
      ['Analysis.result', 'Conversation.analyses', 'Conversation.outcome'],
    ],
  },
  recordEvents: {
    scope: 'INGEST',
    allowed: ({ conversationId }) => [
      'mutation($id: UUID!, $events: [EventInput!]!) { recordEvents(conversationId: $id, events: $events) { id externalId conversationId eventType eventSubtype source } }',
      { id: conversationId, events: [{ eventType: 'CUSTOMER_INFORMATION_DETECTION', eventSubtype: 'NAME', payload: { VALUE: 'Ana' } }] },
    ],
    refused: ({ conversationId }) => [
      'mutation($id: UUID!, $events: [EventInput!]!) { recordEvents(conversationId: $id, events: $events) { id payload conversation { id summary } } }',
      { id: conversationId, events: [{ eventType: 'CUSTOMER_INFORMATION_DETECTION', eventSubtype: 'NAME', payload: { VALUE: 'Bo' } }] },
      ['Conversation.summary', 'Event.conversation', 'Event.payload'],
    ],
  },
  upsertAgents: {
    scope: 'INGEST',
    allowed: () => ['mutation($agents: [AgentInput!]!) { upsertAgents(agents: $agents) { id externalId origin } }', { agents: [{ externalId: 'ava' }] }],
    refused: () => [
      'mutation($agents: [AgentInput!]!) { upsertAgents(agents: $agents) { id name conversations { edges { node { id } } } } }',
      { agents: [{ externalId: 'ava' }] },
      ['Agent.conversations', 'Agent.name', 'ConversationConnection.edges', 'ConversationEdge.node'],
    ],
  },
  reanalyzeConversation: {
    scope: 'MANAGE',
    allowed: () => ['mutation($id: UUID!) { reanalyzeConversation(id: $id) { id analysisStatus } }', { id: randomUUID() }],
    refused: ({ conversationId }) => [
      'mutation($id: UUID!) { reanalyzeConversation(id: $id) { id summary } }',
      { id: conversationId },
      ['Conversation.summary'],
    ],
  },
  reanalyzeConversations: {
    scope: 'MANAGE',
    allowed: () => ['mutation { reanalyzeConversations(dryRun: true, filter: { externalId: "none" }) { dryRun matched queued batchId } }', {}],
    refused: () => [
      'mutation { reanalyzeConversations(dryRun: true) { matched changes { conversationId } } }',
      {},
      ['ConversationChanges.conversationId', 'ReanalysisResult.changes'],
    ],
  },
  setAnalysisConfig: {
    scope: 'MANAGE',
    allowed: () => [
      'mutation($input: SetAnalysisConfigInput!) { setAnalysisConfig(input: $input) { id version appliesTo summaryPrompt dispositionMetrics { identifier type } } }',
      { input: { agentId: randomUUID(), dispositionMetrics: [] } },
    ],
  },
  createWebhookEndpoint: {
    scope: 'MANAGE',
    allowed: () => [
      'mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id url status eventTypes } } }',
      { input: { url: 'http://127.0.0.1:9/hook', eventTypes: ['conversation.completed'] } },
    ],
  },
  deleteWebhookEndpoint: {
    scope: 'MANAGE',
    allowed: () => ['mutation($id: UUID!) { deleteWebhookEndpoint(id: $id) { id status } }', { id: randomUUID() }],
  },
  redeliverWebhook: {
    scope: 'MANAGE',
    allowed: () => ['mutation($id: UUID!) { redeliverWebhook(deliveryId: $id) { id status attemptCount attempts { statusCode } } }', { id: randomUUID() }],
    refused: () => ['mutation($id: UUID!) { redeliverWebhook(deliveryId: $id) { id payload } }', { id: randomUUID() }, ['WebhookDelivery.payload']],
  },
  createApiKey: {
    scope: 'MANAGE',
    allowed: () => ['mutation { createApiKey(input: { name: "same scopes", scopes: [MANAGE] }) { secret apiKey { id name scopes keyPrefix } } }', {}],
  },
  updateOrganizationSettings: {
    scope: 'MANAGE',
    allowed: () => ['mutation { updateOrganizationSettings(input: { valuePrecedence: REPORTED_FIRST }) { id name timeZone valuePrecedence } }', {}],
  },
  revokeApiKey: {
    scope: 'MANAGE',
    allowed: () => ['mutation($id: UUID!) { revokeApiKey(id: $id) { id revokedAt } }', { id: randomUUID() }],
  },
};
/** Admin-only mutations: their payload (Organization) is open to any credential that may call them. */
const ADMIN_ONLY = ['createOrganization', 'updateOrganization', 'deactivateOrganization', 'reactivateOrganization'];

describe('field scopes of mutation payloads', () => {
  let conversationId: string;
  beforeAll(async () => {
    const live = await server.graphql(
      'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { conversation { id } } }',
      { input: call(`live-${randomUUID()}`) },
      keys.INGEST,
    );
    conversationId = live.data!.ingestConversation.conversation.id;
  });

  it('covers every mutation of the schema', async () => {
    const mutations = Object.keys((await buildAppSchema()).getMutationType()!.getFields()).sort();
    expect([...Object.keys(CASES), ...ADMIN_ONLY].sort()).toEqual(mutations);
  });

  for (const [mutation, testCase] of Object.entries(CASES)) {
    it(`${mutation}: a ${testCase.scope}-only key selects what it wrote, and nothing that needs READ`, async () => {
      const auth = keys[testCase.scope]!;
      const [allowedQuery, allowedVariables] = testCase.allowed({ conversationId });
      const allowed = await server.graphql(allowedQuery, allowedVariables, auth);
      expect(allowed.status, JSON.stringify(allowed)).toBeLessThan(400);
      if (allowed.errors) expect(codeOf(allowed), JSON.stringify(allowed)).toBe('NOT_FOUND');
      else expect(allowed.data![mutation]).toBeTruthy();

      if (!testCase.refused) return;
      const [refusedQuery, refusedVariables, fields] = testCase.refused({ conversationId });
      const countBefore = await conversationCount();
      expectRefused(await server.graphql(refusedQuery, refusedVariables, auth), fields);
      expect(await conversationCount()).toBe(countBefore);
      // A key that also holds READ may select the same fields.
      const both = await keyWith([testCase.scope, 'READ']);
      const read = await server.graphql(refusedQuery, refusedVariables, both);
      expect(codeOf(read) ?? 'none', JSON.stringify(read)).not.toBe('FORBIDDEN');
    });
  }

  it('writes nothing when a payload selection is refused', async () => {
    const externalId = `nothing-${randomUUID()}`;
    const refused = await server.graphql(
      'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { conversation { messages { totalCount } } } }',
      { input: call(externalId) },
      keys.INGEST,
    );
    expect(refused.status).toBe(403);
    const found = await server.graphql('query($id: String) { conversations(filter: { externalId: $id }) { totalCount } }', { id: externalId }, reader);
    expect(found.data).toEqual({ conversations: { totalCount: 0 } });
  });

  it('lets an INGEST key read who it is, and refuses its queries of data as before (at the root)', async () => {
    const viewer = await server.graphql('{ viewer { kind scopes organization { id name } apiKey { scopes } } }', {}, keys.INGEST);
    expect(viewer.data!.viewer).toMatchObject({ kind: 'API_KEY', scopes: ['INGEST'], organization: { id: organizationId }, apiKey: { scopes: ['INGEST'] } });
    const conversations = await server.graphql('{ conversations { totalCount } }', {}, keys.INGEST);
    expect(codeOf(conversations)).toBe('FORBIDDEN');
  });
});

describe('the FIELD_SCOPES table', () => {
  it('names only types and fields the schema has', async () => {
    const schema = await buildAppSchema();
    for (const [typeName, policy] of Object.entries(FIELD_SCOPES)) {
      const type = schema.getType(typeName);
      expect(type && isObjectType(type), typeName).toBe(true);
      const fields = Object.keys((type as import('graphql').GraphQLObjectType).getFields());
      for (const field of Object.keys(policy)) if (field !== '*') expect(fields, `${typeName}.${field}`).toContain(field);
    }
  });
});
