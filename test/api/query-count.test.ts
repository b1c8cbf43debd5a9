import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationDetailDocument, DashboardConversationsDocument } from '../generated/operations.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
let statements: string[] = [];
let tenant: Awaited<ReturnType<TestServer['createTenant']>>;
/** The same data on a server with the read planner off: every nested field through DataLoaders. */
let loaderServer: TestServer;
let loaderStatements: string[] = [];
let loaderTenant: Awaited<ReturnType<TestServer['createTenant']>>;

function conversation(index: number) {
  const agent = `agent-${index % 3}`;
  return {
    externalId: `n1-${index}`,
    channel: 'VOICE',
    startedAt: new Date(Date.UTC(2026, 10, 1, 0, index)).toISOString(),
    endedAt: new Date(Date.UTC(2026, 10, 1, 0, index, 30)).toISOString(),
    agents: [{ externalId: agent, name: `Agent ${index % 3}` }, { externalId: 'human', name: 'Hugo' }],
    contacts: [{ externalId: `contact-${index}`, name: `Contact ${index}` }],
    messages: Array.from({ length: 6 }, (_, sequence) => ({
      sequence,
      senderRole: sequence % 2 === 0 ? 'AGENT' : 'USER',
      ...(sequence % 2 === 0 ? { agentExternalId: agent } : { contactExternalId: `contact-${index}` }),
      content: `turn ${sequence}`,
    })),
    actions: [{ agentExternalId: agent, messageSequence: 0, functionName: 'lookup', status: 'SUCCESS' }],
    tickets: [{ ticketId: `INC${index}`, action: 'CREATED' }],
    events: [
      { eventType: 'FOLLOWUP_DETECTION', agentExternalId: agent, payload: { FOLLOWUP_TIME: '2026-12-01T10:00:00Z', FOLLOWUP_TYPE: 'CALL' } },
      { eventType: 'OBJECTION_DETECTION', payload: { OBJECTION_TYPE: 'PRICE' } },
    ],
  };
}

async function seed(target: TestServer, auth: Awaited<ReturnType<TestServer['createTenant']>>['auth']) {
  for (let start = 0; start < 50; start += 25) {
    const inputs = Array.from({ length: 25 }, (_, offset) => conversation(start + offset));
    const result = await target.graphql(
      'mutation($inputs: [IngestConversationInput!]!) { ingestConversations(inputs: $inputs) { error { message } } }',
      { inputs },
      auth,
    );
    expect(result.data!.ingestConversations.every((item: any) => item.error === null)).toBe(true);
  }
}

// API-key bookkeeping (last_used, at most once a minute per key) is not part of the query's cost.
const isKeyBookkeeping = (sql: string) => /UPDATE "public"\."authorization"/.test(sql);

beforeAll(async () => {
  server = await startTestServer({}, { onQuery: (sql) => (isKeyBookkeeping(sql) ? undefined : statements.push(sql)) });
  tenant = await server.createTenant();
  await seed(server, tenant.auth);
  loaderServer = await startTestServer({ GRAPHQL_READ_PLANNER: 'false' }, { onQuery: (sql) => (isKeyBookkeeping(sql) ? undefined : loaderStatements.push(sql)) });
  loaderTenant = await loaderServer.createTenant();
  await seed(loaderServer, loaderTenant.auth);
});
afterAll(async () => {
  await server?.stop();
  await loaderServer?.stop();
});

async function countStatements(first: number) {
  loaderStatements = [];
  const result = await loaderServer.request(DashboardConversationsDocument, { first, messages: 20 }, loaderTenant.auth);
  expect(result.errors).toBeUndefined();
  if (process.env.SHOW_SQL) console.log(first, loaderStatements.length, loaderStatements.map((sql) => sql.slice(0, 90)).join("\n"));
  return { count: loaderStatements.length, data: result.data! };
}

describe('no query per parent row', () => {
  it('a 3-level nested dashboard query costs the same number of SQL statements for 5 and 50 conversations', async () => {
    const small = await countStatements(5);
    const large = await countStatements(50);
    expect(large.data.conversations.edges).toHaveLength(50);
    const node = large.data.conversations.edges[0]!.node;
    expect(node.messages.edges).toHaveLength(6);
    expect(node.messages.edges[0]!.node.sender?.name).toMatch(/^Agent/);
    expect(node.messages.edges[1]!.node.senderContact?.name).toMatch(/^Contact/);
    expect(node.agents.map((usage) => usage.agent.name).sort()).toEqual([expect.stringMatching(/^Agent/), 'Hugo']);
    expect(node.events.find((event) => event.eventType === 'FOLLOWUP_DETECTION')?.followUp?.score).toBe(50);
    expect(node.actions[0]!.agent?.name).toMatch(/^Agent/);
    expect(small.count).toBeGreaterThanOrEqual(10); // the listener sees every statement (one per loader batch)
    // One statement per loader batch, not per row: 50 parents cost what 5 do. A loader fed from
    // parents that resolve in different ticks (e.g. agents of messages and of usages) may run as
    // two batches instead of one, so allow that jitter; a query per row would add ~45 here.
    expect(Math.abs(large.count - small.count), `5 → ${small.count}, 50 → ${large.count}`).toBeLessThanOrEqual(3);
    // Every statement of the request, listed when the bound is broken.
    expect(large.count, loaderStatements.join('\n')).toBeLessThanOrEqual(20);
  });
});

describe('planned reads: one statement per root field', () => {
  it('the dashboard query and a conversation in detail are one statement each (+ the API key and organization lookups)', async () => {
    statements = [];
    const dashboard = await server.request(DashboardConversationsDocument, { first: 50, messages: 20 }, tenant.auth);
    expect(dashboard.errors).toBeUndefined();
    expect(dashboard.data!.conversations.edges).toHaveLength(50);
    expect(dashboard.data!.conversations.edges[0]!.node.messages.edges[1]!.node.senderContact?.name).toMatch(/^Contact/);
    const planned = statements.filter((sql) => sql.includes('json_build_object'));
    expect(planned, statements.join('\n')).toHaveLength(1);
    expect(statements, statements.join('\n')).toHaveLength(1 + 2);

    statements = [];
    const id = dashboard.data!.conversations.edges[0]!.node.id;
    const detail = await server.request(ConversationDetailDocument, { id }, tenant.auth);
    expect(detail.data!.conversation.messages.totalCount).toBe(6);
    expect(statements.filter((sql) => sql.includes('json_build_object'))).toHaveLength(1);
    expect(statements, statements.join('\n')).toHaveLength(1 + 2);

    // Two root fields: one statement each.
    statements = [];
    const both = await server.graphql(
      'query($id: UUID!) { conversation(id: $id) { id events { eventType } } conversations(first: 5) { totalCount edges { node { id } } } }',
      { id },
      tenant.auth,
    );
    expect(both.data!.conversations.totalCount).toBe(50);
    expect(statements.filter((sql) => sql.includes('json_build_object'))).toHaveLength(2);
    expect(statements, statements.join('\n')).toHaveLength(2 + 2);
  });
});

describe('analytics in SQL', () => {
  it('analyticsOverview computes every selected section in two statements, whatever the number of conversations', async () => {
    statements = [];
    const result = await server.graphql(
      `query { analyticsOverview(range: { from: "2026-11-01T00:00:00Z", to: "2026-11-02T00:00:00Z" }, bucket: HOUR) {
        conversations { total } duration { average } sentiment { average labels { key } } outcomes { key } endedBy { key }
        trend { start total } topTopics { key } events { eventType count } salesFunnel { stages { stage } }
        tickets { action count } agents { agent { name } functionCalls } followUpsDue { total } analysisUsage { runs } } }`,
      {},
      tenant.auth,
    );
    expect(result.errors).toBeUndefined();
    const overview = result.data!.analyticsOverview;
    expect(overview.conversations.total).toBe(50);
    expect(overview.agents).toHaveLength(4);
    expect(overview.events).toEqual([
      { eventType: 'FOLLOWUP_DETECTION', count: 50 },
      { eventType: 'OBJECTION_DETECTION', count: 50 },
    ]);
    // The ten sections in two statements (each materializes the in-range set once), the agents'
    // names (one loader batch), plus the API key and organization lookups of authentication.
    expect(statements.length, statements.join('\n')).toBe(2 + 1 + 2);
    expect(statements.filter((sql) => sql.includes('in_range AS MATERIALIZED'))).toHaveLength(2);
  });

  it('a few sections are one statement', async () => {
    statements = [];
    const result = await server.graphql(
      'query { analyticsOverview(range: { from: "2026-11-01T00:00:00Z", to: "2026-11-02T00:00:00Z" }) { conversations { total } tickets { count } } }',
      {},
      tenant.auth,
    );
    expect(result.data!.analyticsOverview).toEqual({ conversations: { total: 50 }, tickets: [{ count: 50 }] });
    expect(statements.filter((sql) => sql.includes('in_range'))).toHaveLength(1);
  });
});
