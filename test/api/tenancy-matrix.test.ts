import { getNamedType, isNonNullType, isObjectType, isUnionType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAppSchema } from '../../src/graphql/schema.js';
import { startTestServer, type Auth, type TestServer } from '../support/test-server.js';

/**
 * Organization B (API key and member token) against everything organization A owns. Every
 * query and mutation of the schema must have a case here (a new operation without one fails),
 * and every nested field is selected from B's own objects to show no path leads into A.
 */

const A_MARK = 'tenant-a-private';
let server: TestServer;
let schema: GraphQLSchema;
let a: { organizationId: string; auth: Auth; conversationId: string; agentId: string; eventId: string; keyId: string };
let aBatchId: string;
let aWebhook: { endpointId: string; deliveryId: string };
let b: { organizationId: string; key: Auth; member: Auth; conversationId: string };

function conversationInput(externalId: string, mark: string) {
  return {
    externalId,
    channel: 'VOICE',
    summary: `${mark} summary`,
    startedAt: '2026-11-01T10:00:00.000Z',
    endedAt: '2026-11-01T10:03:00.000Z',
    // The same agent external id in both organizations: each must get its own agent.
    agents: [{ externalId: 'shared-agent', name: `${mark} agent`, usages: [{ handoffReason: mark }] }],
    contacts: [{ externalId: `${mark}-contact`, name: `${mark} contact`, sessions: [{ externalId: `${mark}-session` }] }],
    messages: [
      { sequence: 0, senderRole: 'AGENT', agentExternalId: 'shared-agent', content: `${mark} hello` },
      { sequence: 1, senderRole: 'USER', contactExternalId: `${mark}-contact`, content: `${mark} hi` },
    ],
    actions: [{ agentExternalId: 'shared-agent', messageSequence: 0, functionName: `${mark}_fn`, status: 'SUCCESS' }],
    tickets: [{ ticketId: `${mark}-ticket`, action: 'CREATED', reason: mark }],
    transfers: [{ agentExternalId: 'shared-agent', destination: mark }],
    events: [
      { eventType: 'FOLLOWUP_DETECTION', agentExternalId: 'shared-agent', externalId: `${mark}-event`, payload: { FOLLOWUP_TIME: '2026-12-01T10:00:00Z', FOLLOWUP_TYPE: mark } },
    ],
  };
}

const INGEST = 'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { conversation { id agents { agent { id } } events { id } } } }';

/** Every field of a type, recursing into objects (connections included) up to `depth`. */
function selection(type: GraphQLObjectType, depth: number): string {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((arg) => isNonNullType(arg.type))) continue;
    const named = getNamedType(field.type);
    if (isObjectType(named)) {
      if (depth === 0) continue;
      const inner = selection(named, depth - 1);
      if (inner) parts.push(`${field.name} { ${inner} }`);
    } else if (isUnionType(named)) {
      // Every member's fields (Event.details), each under its type condition.
      if (depth === 0) continue;
      parts.push(`${field.name} { __typename ${named.getTypes().map((member) => `... on ${member.name} { ${selection(member, depth - 1)} }`).join(' ')} }`);
    } else {
      parts.push(field.name);
    }
  }
  return parts.join(' ');
}

function expectNoTraceOfA(response: unknown) {
  const text = JSON.stringify(response);
  for (const secret of [A_MARK, a.organizationId, a.conversationId, a.agentId, a.eventId, aWebhook.endpointId, aWebhook.deliveryId]) {
    const at = text.indexOf(secret);
    expect(at, `found ${secret} in …${text.slice(Math.max(0, at - 200), at + 100)}…`).toBe(-1);
  }
}

beforeAll(async () => {
  server = await startTestServer({ GRAPHQL_MAX_COST: '1000000000', GRAPHQL_MAX_DEPTH: '14', GRAPHQL_MAX_ALIASES: '50', GRAPHQL_MAX_TOKENS: '200000' });
  schema = await buildAppSchema();
  const tenantA = await server.createTenant();
  // A's webhook endpoint, subscribed before A's conversation completes, so A also has a delivery.
  const endpointA = await server.graphql(
    'mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }',
    { input: { url: `http://127.0.0.1:9/${A_MARK}`, eventTypes: ['conversation.completed'], description: A_MARK } },
    tenantA.auth,
  );
  const aEndpointId: string = endpointA.data!.createWebhookEndpoint.endpoint.id;
  const ingestedA = await server.graphql(INGEST, { input: conversationInput('shared-external-id', A_MARK) }, tenantA.auth);
  const conversationA = ingestedA.data!.ingestConversation.conversation;
  const keys = await server.graphql('query($id: UUID!) { organization(id: $id) { apiKeys { id } } }', { id: tenantA.organizationId }, { token: server.adminToken });
  a = {
    organizationId: tenantA.organizationId,
    auth: tenantA.auth,
    conversationId: conversationA.id,
    agentId: conversationA.agents[0].agent.id,
    eventId: conversationA.events[0].id,
    keyId: keys.data!.organization.apiKeys[0].id,
  };
  const configured = await server.graphql(
    'mutation($input: SetAnalysisConfigInput!) { setAnalysisConfig(input: $input) { version } }',
    { input: { agentId: a.agentId, summaryPrompt: `${A_MARK} prompt`, dispositionMetrics: [{ identifier: 'a_private_metric', prompt: A_MARK, type: 'STRING' }] } },
    a.auth,
  );
  expect(configured.errors).toBeUndefined();
  const batch = await server.graphql('mutation { reanalyzeConversations(dryRun: false) { batchId } }', {}, a.auth);
  aBatchId = batch.data!.reanalyzeConversations.batchId;
  const deliveriesA = await server.graphql('query($id: UUID!) { webhookDeliveries(endpointId: $id) { edges { node { id } } } }', { id: aEndpointId }, a.auth);
  aWebhook = { endpointId: aEndpointId, deliveryId: deliveriesA.data!.webhookDeliveries.edges[0].node.id };
  const tenantB = await server.createTenant();
  const ingestedB = await server.graphql(INGEST, { input: conversationInput('b-own-conversation', 'tenant-b') }, tenantB.auth);
  b = { organizationId: tenantB.organizationId, key: tenantB.auth, member: { token: server.memberToken(tenantB.organizationId) }, conversationId: ingestedB.data!.ingestConversation.conversation.id };
});
afterAll(async () => {
  await server?.stop();
});

/** A's data as A sees it, to prove B changed nothing. */
async function snapshotOfA() {
  const detail = `query($id: UUID!) { conversation(id: $id) { ${selection(schema.getType('Conversation') as GraphQLObjectType, 2)} } agents { totalCount } conversations { totalCount } events { totalCount } viewer { organization { name status } } analysisConfigHistory { version agentId summaryPrompt dispositionMetrics { identifier } } }`;
  const result = await server.graphql(detail, { id: a.conversationId }, a.auth);
  expect(result.errors).toBeUndefined();
  const webhooks = await server.graphql(
    'query($id: UUID!) { webhookEndpoints { id url description eventTypes status consecutiveFailures } webhookDeliveries(endpointId: $id) { totalCount edges { node { id status attemptCount } } } }',
    { id: aWebhook.endpointId },
    a.auth,
  );
  expect(webhooks.errors).toBeUndefined();
  return { ...result.data, ...webhooks.data };
}

type Expectation = 'NOT_FOUND' | 'FORBIDDEN' | 'OWN_DATA_ONLY';
interface Case {
  operation: string;
  variables: () => Record<string, unknown>;
  key: Expectation;
  member: Expectation;
}

/** One case per root field; `OWN_DATA_ONLY` means it succeeds but shows or touches only B's data. */
const cases: Record<string, Case> = {
  viewer: { operation: `{ viewer { kind organization { id name } apiKey { id } } }`, variables: () => ({}), key: 'OWN_DATA_ONLY', member: 'OWN_DATA_ONLY' },
  organization: { operation: `query($id: UUID) { organization(id: $id) { id name } }`, variables: () => ({ id: a.organizationId }), key: 'NOT_FOUND', member: 'NOT_FOUND' },
  organizations: { operation: `{ organizations { edges { node { id } } } }`, variables: () => ({}), key: 'FORBIDDEN', member: 'FORBIDDEN' },
  conversations: {
    operation: `query($filter: ConversationFilter) { conversations(filter: $filter, first: 100) { totalCount edges { node { id summary } } } }`,
    variables: () => ({ filter: { externalId: 'shared-external-id' } }),
    key: 'OWN_DATA_ONLY',
    member: 'OWN_DATA_ONLY',
  },
  conversation: { operation: `query($id: UUID!) { conversation(id: $id) { id summary } }`, variables: () => ({ id: a.conversationId }), key: 'NOT_FOUND', member: 'NOT_FOUND' },
  agents: { operation: `{ agents(first: 100) { totalCount edges { node { id name } } } }`, variables: () => ({}), key: 'OWN_DATA_ONLY', member: 'OWN_DATA_ONLY' },
  agent: { operation: `query($id: UUID!) { agent(id: $id) { id name } }`, variables: () => ({ id: a.agentId }), key: 'NOT_FOUND', member: 'NOT_FOUND' },
  contacts: { operation: `{ contacts(first: 100) { totalCount edges { node { id name } } } }`, variables: () => ({}), key: 'OWN_DATA_ONLY', member: 'OWN_DATA_ONLY' },
  events: {
    operation: `query($id: UUID) { events(filter: { conversationId: $id }, first: 100) { totalCount edges { node { id payload } } } }`,
    variables: () => ({ id: a.conversationId }),
    key: 'OWN_DATA_ONLY',
    member: 'OWN_DATA_ONLY',
  },
  followUps: {
    operation: `query($id: UUID) { followUps(filter: { conversationId: $id }, first: 100) { totalCount edges { node { eventId } } } }`,
    variables: () => ({ id: a.conversationId }),
    key: 'OWN_DATA_ONLY',
    member: 'OWN_DATA_ONLY',
  },
  tickets: {
    // A's ticket id, asked by B: nothing (B's own tickets stay listable, see the nested-fields case).
    operation: `query($filter: TicketFilter) { tickets(filter: $filter, first: 100) { totalCount edges { node { id ticketId reason conversation { id summary } } } } }`,
    variables: () => ({ filter: { ticketId: `${A_MARK}-ticket` } }),
    key: 'OWN_DATA_ONLY',
    member: 'OWN_DATA_ONLY',
  },
  analyticsOverview: {
    operation: `query($filter: ConversationFilter) { analyticsOverview(range: { from: "2026-10-01T00:00:00Z", to: "2026-12-01T00:00:00Z" }, filter: $filter) {
      conversations { total completed } duration { count average } outcomes { key count } endedBy { key count }
      sentiment { analyzed average labels { key } } trend { start total } topTopics { key count } events { eventType count }
      salesFunnel { stages { stage } transitions { toStage } } tickets { action reason count }
      agents { agentId agent { id name } conversations functionCalls topErrors { message count } }
      followUpsDue { total byType { key count } } analysisUsage { runs } } }`,
    variables: () => ({ filter: { agentId: a.agentId } }),
    key: 'OWN_DATA_ONLY',
    member: 'OWN_DATA_ONLY',
  },
  dispositionMetricStats: {
    operation: `query { dispositionMetricStats(identifier: "a_private_metric", range: { from: "2026-10-01T00:00:00Z", to: "2026-12-01T00:00:00Z" }, groupBy: BOTH) {
      metricType overall { count topValues { key } } groups { agentId agent { name } } } }`,
    variables: () => ({}),
    key: 'NOT_FOUND',
    member: 'NOT_FOUND',
  },
  createOrganization: { operation: `mutation { createOrganization(input: { name: "x" }) { id } }`, variables: () => ({}), key: 'FORBIDDEN', member: 'FORBIDDEN' },
  updateOrganization: {
    operation: `mutation($id: UUID!) { updateOrganization(id: $id, input: { name: "pwned" }) { id } }`,
    variables: () => ({ id: a.organizationId }),
    key: 'FORBIDDEN',
    member: 'FORBIDDEN',
  },
  // Names no organization: a credential can only change its own.
  updateOrganizationSettings: {
    operation: `mutation { updateOrganizationSettings(input: { timeZone: "Asia/Tokyo" }) { id timeZone } }`,
    variables: () => ({}),
    key: 'OWN_DATA_ONLY',
    member: 'OWN_DATA_ONLY',
  },
  deactivateOrganization: { operation: `mutation($id: UUID!) { deactivateOrganization(id: $id) { id } }`, variables: () => ({ id: a.organizationId }), key: 'FORBIDDEN', member: 'FORBIDDEN' },
  reactivateOrganization: { operation: `mutation($id: UUID!) { reactivateOrganization(id: $id) { id } }`, variables: () => ({ id: a.organizationId }), key: 'FORBIDDEN', member: 'FORBIDDEN' },
  createApiKey: {
    operation: `mutation($id: UUID) { createApiKey(input: { organizationId: $id, name: "x", scopes: [READ] }) { secret } }`,
    variables: () => ({ id: a.organizationId }),
    key: 'NOT_FOUND',
    member: 'NOT_FOUND',
  },
  revokeApiKey: { operation: `mutation($id: UUID!) { revokeApiKey(id: $id) { id } }`, variables: () => ({ id: a.keyId }), key: 'NOT_FOUND', member: 'NOT_FOUND' },
  ingestConversation: {
    // Same external id as A's conversation: B gets its own conversation; A's is untouched.
    operation: `mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { created conversation { id summary } } }`,
    variables: () => ({ input: { externalId: 'shared-external-id', channel: 'CHAT', summary: 'b summary' } }),
    key: 'OWN_DATA_ONLY',
    member: 'FORBIDDEN',
  },
  ingestConversations: {
    operation: `mutation($inputs: [IngestConversationInput!]!) { ingestConversations(inputs: $inputs) { conversation { id } error { code } } }`,
    variables: () => ({ inputs: [{ externalId: 'shared-external-id', channel: 'CHAT', summary: 'b summary' }] }),
    key: 'OWN_DATA_ONLY',
    member: 'FORBIDDEN',
  },
  upsertAgents: {
    operation: `mutation($agents: [AgentInput!]!) { upsertAgents(agents: $agents) { id name } }`,
    variables: () => ({ agents: [{ externalId: 'shared-agent', origin: 'api', name: 'b renamed it' }] }),
    key: 'OWN_DATA_ONLY',
    member: 'FORBIDDEN',
  },
  appendMessages: {
    operation: `mutation($id: UUID!) { appendMessages(conversationId: $id, messages: [{ sequence: 9, senderRole: USER, content: "b" }]) { id } }`,
    variables: () => ({ id: a.conversationId }),
    key: 'NOT_FOUND',
    member: 'FORBIDDEN',
  },
  completeConversation: { operation: `mutation($id: UUID!) { completeConversation(id: $id) { id } }`, variables: () => ({ id: a.conversationId }), key: 'NOT_FOUND', member: 'FORBIDDEN' },
  analysisConfig: { operation: `query($id: UUID) { analysisConfig(agentId: $id) { version summaryPrompt } }`, variables: () => ({ id: a.agentId }), key: 'NOT_FOUND', member: 'NOT_FOUND' },
  analysisConfigHistory: {
    operation: `query($id: UUID) { analysisConfigHistory(agentId: $id) { version summaryPrompt dispositionMetrics { identifier prompt } } }`,
    variables: () => ({ id: a.agentId }),
    key: 'OWN_DATA_ONLY',
    member: 'OWN_DATA_ONLY',
  },
  setAnalysisConfig: {
    operation: `mutation($id: UUID) { setAnalysisConfig(input: { agentId: $id, dispositionMetrics: [] }) { version } }`,
    variables: () => ({ id: a.agentId }),
    key: 'NOT_FOUND',
    member: 'NOT_FOUND',
  },
  reanalyzeConversation: { operation: `mutation($id: UUID!) { reanalyzeConversation(id: $id) { id } }`, variables: () => ({ id: a.conversationId }), key: 'NOT_FOUND', member: 'NOT_FOUND' },
  reanalyzeConversations: {
    operation: `mutation { reanalyzeConversations(filter: { externalId: "shared-external-id" }, dryRun: true) { matched changes { conversationId externalId changes { field before after } } } }`,
    variables: () => ({}),
    key: 'OWN_DATA_ONLY',
    member: 'OWN_DATA_ONLY',
  },
  reanalysisProgress: { operation: `query($id: UUID!) { reanalysisProgress(batchId: $id) { total } }`, variables: () => ({ id: aBatchId }), key: 'NOT_FOUND', member: 'NOT_FOUND' },
  webhookEndpoints: { operation: `{ webhookEndpoints { id url description eventTypes status } }`, variables: () => ({}), key: 'OWN_DATA_ONLY', member: 'OWN_DATA_ONLY' },
  webhookDeliveries: {
    operation: `query($id: UUID!) { webhookDeliveries(endpointId: $id, first: 100) { totalCount edges { node { id payload attempts { attemptNumber } } } } }`,
    variables: () => ({ id: aWebhook.endpointId }),
    key: 'NOT_FOUND',
    member: 'NOT_FOUND',
  },
  createWebhookEndpoint: {
    operation: `mutation { createWebhookEndpoint(input: { url: "http://127.0.0.1:9/b", eventTypes: ["conversation.completed"] }) { secret endpoint { id url } } }`,
    variables: () => ({}),
    key: 'OWN_DATA_ONLY',
    member: 'OWN_DATA_ONLY',
  },
  deleteWebhookEndpoint: { operation: `mutation($id: UUID!) { deleteWebhookEndpoint(id: $id) { id } }`, variables: () => ({ id: aWebhook.endpointId }), key: 'NOT_FOUND', member: 'NOT_FOUND' },
  redeliverWebhook: { operation: `mutation($id: UUID!) { redeliverWebhook(deliveryId: $id) { id payload } }`, variables: () => ({ id: aWebhook.deliveryId }), key: 'NOT_FOUND', member: 'NOT_FOUND' },
  recordEvents: {
    operation: `mutation($id: UUID!) { recordEvents(conversationId: $id, events: [{ eventType: OBJECTION_DETECTION, payload: { OBJECTION_TYPE: "PRICE" } }]) { id } }`,
    variables: () => ({ id: a.conversationId }),
    key: 'NOT_FOUND',
    member: 'FORBIDDEN',
  },
};

describe('tenancy matrix: organization B against organization A', () => {
  it('has a case for every query and mutation of the schema', () => {
    const rootFields = [...Object.keys(schema.getQueryType()!.getFields()), ...Object.keys(schema.getMutationType()!.getFields())].sort();
    expect(Object.keys(cases).sort()).toEqual(rootFields);
  });

  for (const credential of ['key', 'member'] as const) {
    it(`every root field, as B's ${credential === 'key' ? 'API key' : 'member token'}, answers as if A did not exist`, async () => {
      const before = await snapshotOfA();
      const auth = credential === 'key' ? b.key : b.member;
      for (const [field, testCase] of Object.entries(cases)) {
        const result = await server.graphql(testCase.operation, testCase.variables(), auth);
        const expected = testCase[credential];
        if (expected === 'OWN_DATA_ONLY') {
          expect(result.errors, `${field}: ${JSON.stringify(result.errors)}`).toBeUndefined();
        } else {
          expect(result.errors?.[0]?.extensions?.code, `${field} → ${JSON.stringify(result)}`).toBe(expected);
          expect(result.data?.[field] ?? null, field).toBeNull();
        }
        expectNoTraceOfA(result);
      }
      expect(await snapshotOfA()).toEqual(before);
    });

    it(`every nested field reachable from B's own objects, as B's ${credential === 'key' ? 'API key' : 'member token'}, stays inside B`, async () => {
      const auth = credential === 'key' ? b.key : b.member;
      const conversation = selection(schema.getType('Conversation') as GraphQLObjectType, 4);
      const agent = selection(schema.getType('Agent') as GraphQLObjectType, 3);
      const event = selection(schema.getType('Event') as GraphQLObjectType, 3);
      const followUp = selection(schema.getType('FollowUp') as GraphQLObjectType, 3);
      const ticket = selection(schema.getType('Ticket') as GraphQLObjectType, 3);
      const result = await server.graphql(
        `query($id: UUID!) {
          conversation(id: $id) { ${conversation} }
          conversations(first: 100) { edges { node { ${conversation} } } }
          agents(first: 100) { edges { node { ${agent} } } }
          events(first: 100) { edges { node { ${event} } } }
          followUps(first: 100) { edges { node { ${followUp} } } }
          tickets(first: 100) { edges { node { ${ticket} } } }
          contacts(first: 100) { edges { node { id name } } }
        }`,
        { id: b.conversationId },
        auth,
      );
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      expect(result.data!.conversation.messages.edges.length).toBeGreaterThan(0);
      expect(result.data!.agents.edges.length).toBeGreaterThan(0);
      expectNoTraceOfA(result);
    });
  }

  it('the same probes as A itself do find A (the matrix is not vacuous)', async () => {
    const found = await server.graphql(cases.conversation!.operation, cases.conversation!.variables(), a.auth);
    expect(found.data!.conversation.summary).toBe(`${A_MARK} summary`);
    const agent = await server.graphql(cases.agent!.operation, cases.agent!.variables(), a.auth);
    expect(agent.data!.agent.name).toBe(`${A_MARK} agent`);
    const events = await server.graphql(cases.events!.operation, cases.events!.variables(), a.auth);
    expect(events.data!.events.totalCount).toBe(1);
    const tickets = await server.graphql(cases.tickets!.operation, cases.tickets!.variables(), a.auth);
    expect(tickets.data!.tickets.edges.map((edge: any) => [edge.node.reason, edge.node.conversation.id])).toEqual([[A_MARK, a.conversationId]]);
    const deliveries = await server.graphql(cases.webhookDeliveries!.operation, cases.webhookDeliveries!.variables(), a.auth);
    expect(deliveries.data!.webhookDeliveries.totalCount).toBe(1);
    const overview = await server.graphql(cases.analyticsOverview!.operation, cases.analyticsOverview!.variables(), a.auth);
    expect(overview.data!.analyticsOverview.conversations.total).toBe(1);
    expect(overview.data!.analyticsOverview.tickets).toEqual([{ action: 'CREATED', reason: A_MARK, count: 1 }]);
    const stats = await server.graphql(cases.dispositionMetricStats!.operation, {}, a.auth);
    expect(stats.data!.dispositionMetricStats.metricType).toBe('STRING');
    const endpoints = await server.graphql(cases.webhookEndpoints!.operation, {}, a.auth);
    expect(endpoints.data!.webhookEndpoints.map((endpoint: any) => endpoint.id)).toEqual([aWebhook.endpointId]);
  });
});
