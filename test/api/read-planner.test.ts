import { execute, getNamedType, Kind, isLeafType, isObjectType, parse, print, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_QUERY, DETAIL_QUERY } from '../../bench/queries.js';
import type { Credential } from '../../src/auth/credential.js';
import { createContext } from '../../src/graphql/context.js';
import { buildAppSchema } from '../../src/graphql/schema.js';
import { createAnalysisProvider } from '../../src/analysis/provider-factory.js';
import { executePlannedOperation } from '../../src/read-planner/planned-operation.js';
import { NODE_TYPES } from '../../src/read-planner/read-model.js';
import { ConversationDetailDocument, DashboardConversationsDocument } from '../generated/operations.js';
import { silentLogger } from '../support/silent-logger.js';
import { loadConfig } from '../../src/config/config.js';
import { createWorker } from '../../src/jobs/workers.js';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../support/test-server.js';
import { runUntilIdle } from '../support/webhook-receiver.js';

/**
 * The read planner answers exactly what the DataLoader resolvers answer: every operation here
 * runs twice in-process on the same data, planner on and off, and the results must be equal
 * (values, order, cursors, errors). Statement counts: one per planned root field.
 */
let server: TestServer;
let schema: GraphQLSchema;
let tenant: Awaited<ReturnType<TestServer['createTenant']>>;
let other: Awaited<ReturnType<TestServer['createTenant']>>;
let statements: string[] = [];
const ids: string[] = [];

function conversation(index: number) {
  const agent = `agent-${index % 3}`;
  const contact = `contact-${index % 4}`;
  const startedAt = index % 7 === 6 ? null : new Date(Date.UTC(2026, 10, 1 + (index % 5), 8, index)).toISOString();
  return {
    externalId: `rp-${index}`,
    channel: (['VOICE', 'CHAT', 'WHATSAPP'] as const)[index % 3],
    direction: index % 2 ? 'INBOUND' : 'OUTBOUND',
    startedAt,
    ...(index % 4 !== 3 ? { endedAt: new Date(Date.UTC(2026, 10, 1 + (index % 5), 9, index)).toISOString(), status: 'COMPLETED' } : {}),
    durationSeconds: index % 5 === 0 ? null : 30.25 * index,
    outcome: index % 3 === 0 ? 'RESOLVED' : index % 3 === 1 ? 'ESCALATED' : null,
    sentimentScore: index % 2 ? -0.125 * index : null,
    sentimentLabel: index % 2 ? 'NEGATIVE' : null,
    topics: index % 2 ? ['billing', 'cancel'] : [],
    summary: index % 3 ? `Summary "${index}" — ünïcode` : null,
    metaData: { index, nested: { list: [1, 2.5, 'x'], flag: index % 2 === 0 } },
    dynamicVariables: index % 2 ? null : { plan: 'gold' },
    userSatisfactionScore: index % 4 ? 4.5 : null,
    agents: [
      { externalId: agent, name: `Agent ${index % 3}`, usages: [{ activatedAt: startedAt, handoffReason: index % 2 ? 'transfer' : null, successRate: index % 4 ? 0.75 : null }] },
      ...(index % 2 ? [{ externalId: 'human', name: 'Hugo' }] : []),
    ],
    contacts: [{ externalId: contact, name: `Contact ${index % 4}`, email: `c${index % 4}@example.com` }],
    messages: Array.from({ length: 3 + (index % 6) }, (_, sequence) => ({
      sequence: sequence * 2,
      senderRole: sequence % 3 === 2 ? 'SYSTEM' : sequence % 2 === 0 ? 'AGENT' : 'USER',
      ...(sequence % 3 === 2 ? {} : sequence % 2 === 0 ? { agentExternalId: agent } : { contactExternalId: contact }),
      content: sequence % 2 ? `I want to cancel, turn ${sequence}` : `How can I help? ${sequence}`,
      sentimentScore: sequence % 2 ? -0.5 : 0.25,
    })),
    actions: [
      { agentExternalId: agent, messageSequence: 0, functionName: 'lookup', status: index % 2 ? 'SUCCESS' : 'FAIL', executionTimeMs: 120 + index, inputParameters: { q: index } },
      // Without a usage's reported success rate, it is derived from these (2 of 3 succeed when index % 4 === 0).
      ...(index % 4 === 0 ? [{ agentExternalId: agent, messageSequence: 2, functionName: 'book', status: 'SUCCESS' }, { agentExternalId: agent, functionName: 'notify', status: 'SUCCESS' }] : []),
    ],
    tickets: [
      ...(index % 2 ? [{ ticketId: `INC${index}`, action: 'CREATED', reason: 'billing', occurredAt: startedAt }] : []),
      ...(index % 3 === 0 ? [{ ticketId: 'INC1', action: 'LINKED', occurredAt: startedAt }] : []),
    ],
    transfers: index % 3 === 0 ? [{ agentExternalId: agent, destination: '+5511999990000', status: 'transfer_connected', startedAt }] : [],
    events: [
      { eventType: 'FOLLOWUP_DETECTION', agentExternalId: agent, payload: { FOLLOWUP_TIME: '2026-12-01T10:00:00Z', FOLLOWUP_TYPE: 'CALL' }, followUpScore: 10 + index },
      { eventType: 'OBJECTION_DETECTION', payload: { OBJECTION_TYPE: 'PRICE' } },
    ],
  };
}

const member = (organizationId: string): Credential => ({ kind: 'MEMBER', subject: 'planner-test', organizationId, scopes: ['READ'] });

function context(readPlanner: boolean, organizationId: string) {
  return createContext({
    requestId: 'read-planner-test', logger: silentLogger, credential: member(organizationId), database: server.app.database,
    analysisProvider: createAnalysisProvider({ provider: 'local' } as never), webhooks: {} as never, readPlanner,
  });
}

async function run(query: string, variables: Record<string, unknown>, readPlanner: boolean, organizationId = tenant.organizationId) {
  const contextValue = context(readPlanner, organizationId);
  statements = [];
  const result = await execute({ schema, document: parse(query), variableValues: variables, contextValue });
  return { result: JSON.parse(JSON.stringify(result)) as { data?: any; errors?: Array<{ message: string; path?: unknown[]; extensions?: any }> }, statements: statements.length };
}

/** The fast path (no graphql-js execution): its `data`, or null when it leaves the operation to graphql-js. */
async function fast(query: string, variables: Record<string, unknown>, organizationId = tenant.organizationId) {
  const document = parse(query);
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION)!;
  statements = [];
  const data = await executePlannedOperation(schema, document, operation, variables, context(true, organizationId));
  return { data: data ? JSON.parse(JSON.stringify(data)) : null, statements: statements.length };
}

let fastAnswers = 0;

/**
 * Runs with and without the planner, and through the fast path; the answers must be equal.
 * Returns the planned run (through graphql-js).
 */
async function same(query: string, variables: Record<string, unknown> = {}, organizationId?: string) {
  const loaders = await run(query, variables, false, organizationId);
  const planned = await run(query, variables, true, organizationId);
  expect(planned.result).toEqual(loaders.result);
  const direct = await fast(query, variables, organizationId);
  if (direct.data) {
    fastAnswers++;
    expect({ data: direct.data }).toEqual(loaders.result);
    expect(direct.statements).toBeLessThanOrEqual(planned.statements);
  }
  return { ...planned, loaderStatements: loaders.statements, fast: direct.data !== null };
}

/** A selection of every leaf field of a type, and of the relations the planner follows, `depth` deep. */
function everything(typeName: string, depth: number): string {
  const type = schema.getType(typeName) as GraphQLObjectType;
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if (depth > 0 && isObjectType(named) && (NODE_TYPES[typeName]?.relations?.[field.name] || NODE_TYPES[typeName]?.objects?.[field.name])) {
      parts.push(`${field.name} { ${everything(named.name, depth - 1)} }`);
    } else if (depth > 0 && field.name === 'messages') {
      parts.push(`messages(first: 3) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ${everything('Message', depth - 1)} } } }`);
    }
  }
  return parts.join(' ');
}

/** Statements on the job and webhook queues (the test's worker, between tests) are not the reads'. */
const isBackgroundWork = (sql: string) => /\b(jobs|webhook_deliveries|outbox)\b/.test(sql);

beforeAll(async () => {
  server = await startTestServer({}, { onQuery: (sql) => (isBackgroundWork(sql) ? undefined : void statements.push(sql)) });
  schema = await buildAppSchema();
  tenant = await server.createTenant();
  other = await server.createTenant();
  const config = await server.graphql(
    `mutation { setAnalysisConfig(input: { dispositionMetrics: [
      { identifier: "call_reason", prompt: "Why?", type: ENUM, choices: ["billing", "cancel", "other"] },
      { identifier: "callback_requested", prompt: "Callback?", type: BOOLEAN },
      { identifier: "satisfaction", prompt: "1 to 5", type: INTEGER } ] }) { version } }`,
    {},
    tenant.auth,
  );
  expect(config.errors).toBeUndefined();
  const inputs = Array.from({ length: 24 }, (_, index) => conversation(index));
  const ingested = await server.graphql(
    'mutation($inputs: [IngestConversationInput!]!) { ingestConversations(inputs: $inputs) { conversation { id } error { message } } }',
    { inputs },
    tenant.auth,
  );
  expect(ingested.errors, JSON.stringify(ingested.errors)).toBeUndefined();
  expect(ingested.data!.ingestConversations.map((item: any) => item.error)).toEqual(inputs.map(() => null));
  ids.push(...ingested.data!.ingestConversations.map((item: any) => item.conversation.id));
  await server.graphql('mutation($inputs: [IngestConversationInput!]!) { ingestConversations(inputs: $inputs) { error { message } } }', { inputs: [conversation(99)] }, other.auth);
  // A worker of this test's own analyses every completed conversation (run to an empty queue, then
  // stopped: no background statement may run beside the counted ones); then one is analysed again.
  const worker = createWorker(
    loadConfig({ JWT_SECRET: TEST_JWT_SECRET, NODE_ENV: 'test', ANALYSIS_PROVIDER: 'local', ANALYSIS_THREADS: '0' }),
    server.app.database,
    silentLogger,
    undefined,
    { organizationIds: [tenant.organizationId, other.organizationId] },
  );
  const settled = async () => {
    await runUntilIdle(worker, server.app.database, tenant.organizationId, 150_000);
    await runUntilIdle(worker, server.app.database, other.organizationId, 150_000);
  };
  await settled();
  const again = await server.graphql('mutation($id: UUID!) { reanalyzeConversation(id: $id) { id } }', { id: ids[0] }, tenant.auth);
  expect(again.errors).toBeUndefined();
  await settled();
}, 360_000);

afterAll(async () => {
  await server?.stop();
  expect(fastAnswers).toBeGreaterThan(20);
});

describe('the read planner answers what the resolvers answer', () => {
  it('the suite dashboard and detail operations, in one statement each', async () => {
    const dashboard = await same(print(DashboardConversationsDocument), { first: 50, messages: 20 });
    expect(dashboard.fast).toBe(true);
    expect(dashboard.result.data.conversations.edges).toHaveLength(24);
    expect(dashboard.result.data.conversations.edges.some((edge: any) => edge.node.analyses.length > 6)).toBe(true); // re-analysed
    expect(dashboard.statements).toBe(1);
    expect(dashboard.loaderStatements).toBeGreaterThan(8);
    for (const id of ids.slice(0, 6)) {
      const detail = await same(print(ConversationDetailDocument), { id });
      expect(detail.result.data.conversation.id).toBe(id);
      expect(detail.statements).toBe(1);
    }
  });

  it('the bench dashboard and detail queries', async () => {
    await same(DASHBOARD_QUERY, { first: 50, messages: 20 });
    for (const id of ids) expect((await same(DETAIL_QUERY, { id })).statements).toBe(1);
  });

  it('every field of every planned type (dates, JSON, enums, lists, nulls, computed values)', async () => {
    const detail = await same(`query($id: UUID!) { conversation(id: $id) { ${everything('Conversation', 3)} } }`, { id: ids[0] });
    expect(detail.statements).toBe(1);
    expect(detail.result.data.conversation.dispositionMetrics.length).toBeGreaterThan(0);
    const list = await same(`{ conversations(first: 30) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ${everything('Conversation', 2)} } } } }`);
    expect(list.statements).toBe(1);
  });

  it('reported and analysed values (nested sentiment null when neither part is set), in one statement', async () => {
    const values = 'outcome outcomeReason summary topics sentiment { __typename score label }';
    const query = `{ conversations(first: 30) { edges { node { id outcome summary sentiment { score label }
      reported { __typename ${values} } analysed { ${values} } mine: reported { sentiment { label } } } } } }`;
    const list = await same(query);
    expect(list.statements).toBe(1);
    const nodes = list.result.data.conversations.edges.map((edge: any) => edge.node);
    expect(nodes.some((node: any) => node.reported.sentiment === null)).toBe(true);
    expect(nodes.some((node: any) => node.reported.sentiment?.label === 'NEGATIVE')).toBe(true);
    expect(nodes.some((node: any) => node.analysed.outcome !== null && node.analysed.sentiment !== null)).toBe(true);
    const detail = await same(`query($id: UUID!) { conversation(id: $id) { reported { ${values} } analysed { ${values} } } }`, { id: ids[1] });
    expect(detail.statements).toBe(1);
    expect(detail.result.data.conversation.reported).toMatchObject({ outcome: 'ESCALATED', topics: ['billing', 'cancel'], sentiment: { score: -0.125, label: 'NEGATIVE' } });
  });

  it('pages (cursors, pageInfo) in every order, including rows without a start time', async () => {
    for (const orderBy of ['STARTED_AT_DESC', 'STARTED_AT_ASC', 'CREATED_AT_DESC', 'CREATED_AT_ASC']) {
      let after: string | null = null;
      let pages = 0;
      do {
        const page: any = await same(
          `query($after: String, $orderBy: ConversationOrder) { conversations(first: 5, after: $after, orderBy: $orderBy) {
             totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id startedAt createdAt } } } }`,
          { after, orderBy },
        );
        const connection = page.result.data.conversations;
        after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
        pages++;
      } while (after && pages < 10);
      expect(pages).toBe(5);
    }
    await same('{ conversations(first: 0) { totalCount pageInfo { hasNextPage startCursor endCursor } edges { cursor } } }');
  });

  it('nested message pages', async () => {
    const first = await same(`query($id: UUID!) { conversation(id: $id) { messages(first: 2) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { sequence } } } } }`, { id: ids[5] });
    const after = first.result.data.conversation.messages.pageInfo.endCursor;
    await same(`query($id: UUID!, $after: String) { conversation(id: $id) { messages(first: 2, after: $after) { pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { sequence content } } } } }`, { id: ids[5], after });
    await same(`query($id: UUID!) { conversation(id: $id) { messages(first: 0) { totalCount pageInfo { hasNextPage } edges { cursor } } } }`, { id: ids[5] });
  });

  it('filters, including disposition filters', async () => {
    const filters = [
      { channels: ['VOICE', 'CHAT'] }, { statuses: ['ONGOING'] }, { outcomes: ['RESOLVED'] }, { sentiments: ['NEGATIVE'] },
      { analysisStatuses: ['COMPLETED'] }, { eventType: 'OBJECTION_DETECTION' }, { text: 'CANCEL' }, { externalId: 'rp-3' },
      { startedAt: { from: '2026-11-02T00:00:00Z', to: '2026-11-04T00:00:00Z' } },
      { disposition: [{ identifier: 'call_reason', in: ['cancel', 'billing'] }] }, { disposition: [{ identifier: 'callback_requested', is: true }] },
      { disposition: [{ identifier: 'satisfaction', min: 1, max: 5, minConfidence: 0.1 }] },
      { outcomes: ['RESOLVED'], source: 'REPORTED' }, { outcomes: ['NOT_RESOLVED', 'RESOLVED'], source: 'ANALYSED' },
      { sentiments: ['NEGATIVE'], source: 'ANALYSED' }, { topics: ['billing'] }, { topics: ['billing', 'x'], source: 'REPORTED' },
      { topics: ['billing'], source: 'ANALYSED' },
    ];
    for (const filter of filters) {
      const answer = await same('query($filter: ConversationFilter) { conversations(first: 50, filter: $filter) { totalCount edges { node { id externalId } } } }', { filter });
      expect(answer.statements).toBe(1);
    }
    const agent = (await run('{ conversations(first: 1) { edges { node { agents { agent { id } } } } } }', {}, true)).result.data.conversations.edges[0].node.agents[0].agent.id;
    await same('query($filter: ConversationFilter) { conversations(first: 50, filter: $filter) { totalCount edges { node { id } } } }', { filter: { agentId: agent } });
  });

  it('fragments, aliases and __typename', async () => {
    const answer = await same(`
      fragment Parts on Conversation { id channel sentiment { label } agents { ...Usage } }
      fragment Usage on AgentUsage { agent { name } }
      query($id: UUID!) { conversation(id: $id) { __typename ...Parts theId: id ... on Conversation { events { __typename eventType } } } }`, { id: ids[1] });
    expect(answer.statements).toBe(1);
  });

  it('Event.details (a union from the payload): inline and named fragments, aliases, __typename, in one statement', async () => {
    const details = `details {
      __typename ... on EventDetails { kind: __typename } ...Sale
      ... on FollowUpDetails { followUpTry when: followUpTime followUpType }
      ... on ObjectionDetails { objectionType competitor }
      ... on MeetingDoneDetails { attended durationSeconds }
      ... on SalesStageChangeDetails { oldStage newStage }
    }`;
    const fragment = 'fragment Sale on SaleMadeDetails { product price currency discount }';
    const conversations = await same(`${fragment} { conversations(first: 50) { edges { node { events { eventType payload ${details} } } } } }`);
    expect(conversations.fast).toBe(true);
    expect(conversations.statements).toBe(1);
    const events = conversations.result.data.conversations.edges.flatMap((edge: any) => edge.node.events);
    expect(events.find((event: any) => event.eventType === 'FOLLOWUP_DETECTION').details).toEqual({
      __typename: 'FollowUpDetails', kind: 'FollowUpDetails', followUpTry: null, when: '2026-12-01T10:00:00Z', followUpType: 'CALL',
    });
    expect(events.find((event: any) => event.eventType === 'OBJECTION_DETECTION').details).toEqual({ __typename: 'ObjectionDetails', kind: 'ObjectionDetails', objectionType: 'PRICE', competitor: null });
    const root = await same(`${fragment} { events(first: 40) { edges { node { eventType ${details} followUp { event { ${details} } } } } } }`);
    expect(root.fast).toBe(true); // root events: planned on the fast path only
  });

  it('what it does not cover is resolved as before (same answers)', async () => {
    // The same field under two names with different arguments, a directive, a relation it does not follow.
    await same(`query($id: UUID!) { conversation(id: $id) { a: messages(first: 1) { edges { node { sequence } } } b: messages(first: 3) { edges { node { sequence } } } } }`, { id: ids[2] });
    await same(`query($id: UUID!, $yes: Boolean!) { conversation(id: $id) { id summary @include(if: $yes) } }`, { id: ids[2], yes: false });
    // Another root field beside a planned one: graphql-js executes, the planned field still in one statement.
    const mixed = await same(`query($id: UUID!) { viewer { organization { id } } conversation(id: $id) { id events { eventType } } }`, { id: ids[2] });
    expect(mixed.fast).toBe(false);
    expect(mixed.result.data.conversation.id).toBe(ids[2]);
    await same(`query($id: UUID!) { conversation(id: $id) { actions { conversation { id } } } }`, { id: ids[2] });
  });

  it('agents, agent, events and followUps: pages, filters and nested fields, without graphql-js execution', async () => {
    const agents = await same(`{ agents(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${everything('Agent', 0)} } } } }`);
    expect(agents.fast).toBe(true);
    const after = agents.result.data.agents.pageInfo.endCursor;
    expect((await same('query($after: String) { agents(first: 2, after: $after) { pageInfo { hasNextPage hasPreviousPage } edges { node { id name } } } }', { after })).fast).toBe(true);
    const agentId = agents.result.data.agents.edges[0].node.id;
    const agent = await same(`query($id: UUID!) { agent(id: $id) { ${everything('Agent', 0)} } }`, { id: agentId });
    expect(agent.fast).toBe(true);
    expect(agent.result.data.agent.id).toBe(agentId);
    expect((await same('query($id: UUID!) { agent(id: $id) { id } }', { id: ids[0] })).result.errors?.[0]?.message).toMatch(/not found/i);
    const eventQuery = `query($filter: EventFilter, $after: String) { events(first: 7, filter: $filter, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${everything('Event', 2)} } } } }`;
    for (const filter of [null, { eventTypes: ['FOLLOWUP_DETECTION'] }, { conversationId: ids[3] }, { agentId }, { source: 'INGESTED' }, { createdAt: { from: '2020-01-01T00:00:00Z' } }]) {
      let cursor: string | null = null;
      for (let page = 0; page < 3; page++) {
        const answer: any = await same(eventQuery, { filter, after: cursor });
        expect(answer.fast).toBe(true);
        cursor = answer.result.data.events.pageInfo.endCursor;
        if (!answer.result.data.events.pageInfo.hasNextPage) break;
      }
    }
    const followUpQuery = `query($filter: FollowUpFilter, $after: String) { followUps(first: 5, filter: $filter, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${everything('FollowUp', 2)} } } } }`;
    for (const filter of [null, { minScore: 20 }, { agentId }, { conversationId: ids[4] }, { due: { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' } }]) {
      const first: any = await same(followUpQuery, { filter });
      expect(first.fast).toBe(true);
      if (first.result.data.followUps.pageInfo.hasNextPage) await same(followUpQuery, { filter, after: first.result.data.followUps.pageInfo.endCursor });
    }
    const ticketQuery = `query($filter: TicketFilter, $after: String) { tickets(first: 3, filter: $filter, after: $after) {
      totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { ${everything('Ticket', 2)} } } } }`;
    for (const filter of [null, { ticketId: 'INC1' }, { ticketId: 'INC1', action: 'LINKED' }, { ticketSystem: 'SERVICENOW', action: 'CREATED' }, { ticketSystem: 'JIRA' }]) {
      let cursor: string | null = null;
      for (let page = 0; page < 4; page++) {
        const answer: any = await same(ticketQuery, { filter, after: cursor });
        expect(answer.fast).toBe(true);
        cursor = answer.result.data.tickets.pageInfo.endCursor;
        if (!answer.result.data.tickets.pageInfo.hasNextPage) break;
      }
    }
    // INC1: created by rp-1, linked by rp-0, rp-3, … rp-21 (every third): 9 conversations.
    const linked = await same('{ tickets(first: 50, filter: { ticketId: "INC1" }) { totalCount edges { node { action conversation { externalId } } } } }');
    expect(linked.result.data.tickets.totalCount).toBe(9);
    expect(linked.result.data.tickets.edges.map((edge: any) => edge.node.conversation.externalId).sort()).toEqual(
      ['rp-0', 'rp-1', 'rp-12', 'rp-15', 'rp-18', 'rp-21', 'rp-3', 'rp-6', 'rp-9'],
    );
    // The other organization's INC1 is its own row (rp-99 links it): ours stay out of its answer.
    const theirTickets = await same('{ tickets(first: 50, filter: { ticketId: "INC1" }) { totalCount edges { node { action conversation { externalId } } } } }', {}, other.organizationId);
    expect(theirTickets.result.data.tickets).toEqual({ totalCount: 1, edges: [{ node: { action: 'LINKED', conversation: { externalId: 'rp-99' } } }] });
    // Function calls at their turn, and the success rate derived when not reported.
    const calls = await same(`query($id: UUID!) { conversation(id: $id) { agents { successRate agent { externalId } } actions { functionName message { id sequence } } } }`, { id: ids[4] });
    expect(calls.result.data.conversation.actions.map((action: any) => [action.functionName, action.message?.sequence ?? null])).toEqual([
      ['lookup', 0], ['book', 2], ['notify', null],
    ]);
    expect(calls.result.data.conversation.agents.map((usage: any) => usage.successRate)).toEqual([2 / 3]);
    // Several root fields: one statement each.
    const several = await same(`query($id: UUID!) { agents(first: 1) { totalCount } conversation(id: $id) { id } events(first: 1) { totalCount } }`, { id: ids[0] });
    expect(several.fast).toBe(true);
  });

  it('errors read as they did: bad arguments, bad cursors, another organization’s conversation', async () => {
    for (const [query, variables] of [
      ['{ conversations(first: 500) { edges { cursor } } }', {}],
      ['{ conversations(first: 5, after: "nope") { edges { cursor } } }', {}],
      ['query($id: UUID!) { conversation(id: $id) { messages(first: 500) { totalCount } } }', { id: ids[0] }],
      ['query($id: UUID!) { conversation(id: $id) { messages(after: "x") { totalCount } } }', { id: ids[0] }],
    ] as const) {
      const answer = await same(query, variables);
      expect(answer.result.errors?.[0]?.message).toMatch(/^(first must be between|after is not a cursor)/);
    }
    const foreign = (await run('{ conversations(first: 1) { edges { node { id } } } }', {}, true, other.organizationId)).result.data.conversations.edges[0].node.id;
    const answer = await same('query($id: UUID!) { conversation(id: $id) { id messages { totalCount } } }', { id: foreign });
    expect(answer.result.errors?.[0]?.message).toMatch(/not found/i);
    expect(answer.result.data).toBeNull();
    // And the other organization's list holds only its own conversation.
    const theirs = await same('{ conversations(first: 50) { totalCount edges { node { externalId } } } }', {}, other.organizationId);
    expect(theirs.result.data.conversations.edges.map((edge: any) => edge.node.externalId)).toEqual(['rp-99']);
  });
});
