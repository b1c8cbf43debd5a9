import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Auth, type TestServer } from '../support/test-server.js';

let server: TestServer;
let auth: Auth;
const ids = new Map<string, string>();

/** Six conversations with known values, so every filter has an answer computed by hand. */
const fixtures = [
  { externalId: 'q-1', sentiment: 'NEGATIVE', channel: 'VOICE', day: 1, outcome: 'RESOLVED', agent: 'ava', text: 'I want to cancel my plan', event: 'OBJECTION_DETECTION', origin: 'crm', end: true },
  { externalId: 'q-2', sentiment: 'POSITIVE', channel: 'CHAT', day: 2, outcome: 'ESCALATED', agent: 'leo', text: 'Quero falar sobre o preço', event: 'SALE_MADE', origin: 'api', end: true },
  { externalId: 'q-3', sentiment: 'POSITIVE', channel: 'VOICE', day: 3, outcome: 'RESOLVED', agent: 'leo', text: 'Schedule a meeting please', event: 'MEETING_SCHEDULED', origin: 'api', end: true },
  { externalId: 'q-4', sentiment: null, channel: 'WHATSAPP', day: 4, outcome: null, agent: 'ava', text: 'hello there', event: null, origin: 'api', end: false },
  { externalId: 'q-5', sentiment: 'NEGATIVE', channel: 'VOICE', day: 5, outcome: 'ABANDONED', agent: 'ava', text: 'CANCEL everything', event: 'OBJECTION_DETECTION', origin: 'crm', end: true },
  { externalId: 'q-6', sentiment: 'NEUTRAL', channel: 'EMAIL', day: 6, outcome: 'NOT_RESOLVED', agent: 'leo', text: 'invoice question', event: null, origin: 'api', end: true },
] as const;

const payloads: Record<string, Record<string, unknown>> = {
  OBJECTION_DETECTION: { OBJECTION_TYPE: 'PRICE' },
  SALE_MADE: { PRODUCT: 'Premium', PRICE: 99.9, CURRENCY: 'USD', DISCOUNT: 0.1 },
  MEETING_SCHEDULED: { TIME_SCHEDULED: '2026-11-20T15:00:00Z', MEETING_CHANNEL: 'ZOOM' },
};

beforeAll(async () => {
  server = await startTestServer();
  const tenant = await server.createTenant();
  auth = tenant.auth;
  for (const fixture of fixtures) {
    const startedAt = new Date(Date.UTC(2026, 10, fixture.day, 12)).toISOString();
    const result = await server.graphql(
      'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { conversation { id } } }',
      {
        input: {
          externalId: fixture.externalId,
          origin: fixture.origin,
          channel: fixture.channel,
          startedAt,
          ...(fixture.end ? { endedAt: new Date(Date.UTC(2026, 10, fixture.day, 12, 10)).toISOString() } : {}),
          outcome: fixture.outcome,
          sentimentLabel: fixture.sentiment,
          // One agent across origins: agents are unique per (origin, externalId), so name the origin.
          agents: [{ externalId: fixture.agent, origin: 'telephony', name: fixture.agent.toUpperCase() }],
          contacts: [{ externalId: `c-${fixture.externalId}` }],
          messages: [
            { sequence: 0, senderRole: 'AGENT', agentExternalId: fixture.agent, content: 'How can I help?' },
            { sequence: 1, senderRole: 'USER', contactExternalId: `c-${fixture.externalId}`, content: fixture.text },
          ],
          actions: [{ agentExternalId: fixture.agent, functionName: `fn-${fixture.externalId}`, status: 'SUCCESS' }],
          events: fixture.event
            ? [
                { eventType: fixture.event, agentExternalId: fixture.agent, payload: payloads[fixture.event] },
                { eventType: 'FOLLOWUP_DETECTION', payload: { FOLLOWUP_TIME: new Date(Date.UTC(2026, 11, fixture.day)).toISOString(), FOLLOWUP_TYPE: 'CALL' }, followUpScore: fixture.day * 10 },
              ]
            : [],
        },
      },
      auth,
    );
    expect(result.errors).toBeUndefined();
    ids.set(fixture.externalId, result.data!.ingestConversation.conversation.id);
  }
});
afterAll(async () => {
  await server?.stop();
});

async function externalIds(filter: Record<string, unknown>, orderBy?: string): Promise<string[]> {
  const result = await server.graphql(
    'query($filter: ConversationFilter, $orderBy: ConversationOrder) { conversations(filter: $filter, orderBy: $orderBy, first: 100) { totalCount edges { node { externalId } } } }',
    { filter, orderBy },
    auth,
  );
  expect(result.errors).toBeUndefined();
  const list = result.data!.conversations.edges.map((edge: any) => edge.node.externalId);
  expect(result.data!.conversations.totalCount).toBe(list.length);
  return list;
}

describe('conversations(filter, orderBy)', () => {
  it('orders by start time, newest first by default', async () => {
    expect(await externalIds({})).toEqual(['q-6', 'q-5', 'q-4', 'q-3', 'q-2', 'q-1']);
    expect(await externalIds({}, 'STARTED_AT_ASC')).toEqual(['q-1', 'q-2', 'q-3', 'q-4', 'q-5', 'q-6']);
  });

  it('filters by time range, channel, status, outcome, origin and external id', async () => {
    expect(await externalIds({ startedAt: { from: '2026-11-02T00:00:00Z', to: '2026-11-04T00:00:00Z' } })).toEqual(['q-3', 'q-2']);
    expect(await externalIds({ channels: ['VOICE'] })).toEqual(['q-5', 'q-3', 'q-1']);
    expect(await externalIds({ channels: ['CHAT', 'EMAIL'] })).toEqual(['q-6', 'q-2']);
    expect(await externalIds({ statuses: ['ONGOING'] })).toEqual(['q-4']);
    expect(await externalIds({ outcomes: ['RESOLVED'] })).toEqual(['q-3', 'q-1']);
    expect(await externalIds({ origin: 'crm' })).toEqual(['q-5', 'q-1']);
    expect(await externalIds({ externalId: 'q-2' })).toEqual(['q-2']);
  });

  it('filters by sentiment label and analysis status', async () => {
    expect(await externalIds({ sentiments: ['NEGATIVE'] })).toEqual(['q-5', 'q-1']);
    expect(await externalIds({ sentiments: ['POSITIVE', 'NEUTRAL'] })).toEqual(['q-6', 'q-3', 'q-2']);
    // Ended conversations are queued for analysis (no worker runs here); the ongoing one is not.
    expect(await externalIds({ analysisStatuses: ['NOT_REQUESTED'] })).toEqual(['q-4']);
    expect(await externalIds({ analysisStatuses: ['PENDING'], sentiments: ['POSITIVE'] })).toEqual(['q-3', 'q-2']);
    expect(await externalIds({ analysisStatuses: ['FAILED'] })).toEqual([]);
  });

  it('filters by agent, event type and text in messages (case-insensitive)', async () => {
    const agents = await server.graphql('{ agents { edges { node { id externalId } } } }', {}, auth);
    const ava = agents.data!.agents.edges.find((edge: any) => edge.node.externalId === 'ava').node.id;
    expect(await externalIds({ agentId: ava })).toEqual(['q-5', 'q-4', 'q-1']);
    expect(await externalIds({ eventType: 'OBJECTION_DETECTION' })).toEqual(['q-5', 'q-1']);
    expect(await externalIds({ text: 'cancel' })).toEqual(['q-5', 'q-1']);
    expect(await externalIds({ text: 'preço' })).toEqual(['q-2']);
    expect(await externalIds({ channels: ['VOICE'], text: 'cancel', outcomes: ['ABANDONED'] })).toEqual(['q-5']);
  });

  it('pages with stable cursors to the end, without duplicates', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const result: any = await server.graphql(
        'query($after: String) { conversations(first: 4, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { externalId } } } }',
        { after },
        auth,
      );
      const connection = result.data.conversations;
      expect(connection.totalCount).toBe(6);
      expect(connection.pageInfo.hasPreviousPage).toBe(pages > 0);
      seen.push(...connection.edges.map((edge: any) => edge.node.externalId));
      pages += 1;
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(pages).toBe(2);
    expect(seen).toEqual(['q-6', 'q-5', 'q-4', 'q-3', 'q-2', 'q-1']);
  });
});

describe('nested pages and the other lists', () => {
  it('pages messages within a conversation', async () => {
    const query = 'query($id: UUID!, $after: String) { conversation(id: $id) { messages(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { sequence content } } } } }';
    const first = await server.graphql(query, { id: ids.get('q-1') }, auth);
    const page1 = first.data!.conversation.messages;
    expect(page1).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true }, edges: [{ node: { sequence: 0 } }] });
    const second = await server.graphql(query, { id: ids.get('q-1'), after: page1.pageInfo.endCursor }, auth);
    expect(second.data!.conversation.messages).toMatchObject({ pageInfo: { hasNextPage: false }, edges: [{ node: { sequence: 1, content: 'I want to cancel my plan' } }] });
  });

  it("nests an agent's conversations and function calls, newest first, paged", async () => {
    const result = await server.graphql(
      '{ agents { edges { node { externalId conversations(first: 2) { totalCount pageInfo { hasNextPage } edges { node { externalId } } } actions(first: 10) { totalCount edges { node { functionName conversation { externalId } } } } } } } }',
      {},
      auth,
    );
    const byAgent = Object.fromEntries(result.data!.agents.edges.map((edge: any) => [edge.node.externalId, edge.node]));
    expect(byAgent.ava.conversations).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    expect(byAgent.ava.conversations.edges.map((edge: any) => edge.node.externalId)).toEqual(['q-5', 'q-4']);
    expect(byAgent.leo.conversations.edges.map((edge: any) => edge.node.externalId)).toEqual(['q-6', 'q-3']);
    expect(byAgent.leo.actions.totalCount).toBe(3);
    expect(byAgent.leo.actions.edges.map((edge: any) => edge.node.conversation.externalId).sort()).toEqual(['q-2', 'q-3', 'q-6']);
  });

  it('filters events by type and nests their conversation, agent and follow-up', async () => {
    const result = await server.graphql(
      '{ events(filter: { eventTypes: [SALE_MADE, MEETING_SCHEDULED] }) { totalCount edges { node { eventType payload scheduledTo conversation { externalId } agent { externalId } } } } }',
      {},
      auth,
    );
    expect(result.data!.events.totalCount).toBe(2);
    expect(result.data!.events.edges.map((edge: any) => edge.node)).toEqual([
      { eventType: 'SALE_MADE', payload: { PRODUCT: 'Premium', PRICE: 99.9, CURRENCY: 'USD', DISCOUNT: 0.1 }, scheduledTo: null, conversation: { externalId: 'q-2' }, agent: { externalId: 'leo' } },
      { eventType: 'MEETING_SCHEDULED', payload: { TIME_SCHEDULED: '2026-11-20T15:00:00Z', MEETING_CHANNEL: 'ZOOM' }, scheduledTo: '2026-11-20T15:00:00.000Z', conversation: { externalId: 'q-3' }, agent: { externalId: 'leo' } },
    ]);
    const followUpEvents = await server.graphql('{ events(filter: { eventTypes: [FOLLOWUP_DETECTION] }) { totalCount edges { node { followUp { score } } } } }', {}, auth);
    expect(followUpEvents.data!.events.totalCount).toBe(4);
    expect(followUpEvents.data!.events.edges.map((edge: any) => edge.node.followUp.score).sort((x: number, y: number) => x - y)).toEqual([10, 20, 30, 50]);
  });

  it('lists follow-ups due in a range, soonest first, with a minimum score', async () => {
    const result = await server.graphql(
      '{ followUps(filter: { due: { from: "2026-12-02T00:00:00Z", to: "2026-12-31T00:00:00Z" }, minScore: 25 }) { totalCount edges { node { score followUpDate conversation { externalId } event { eventType } } } } }',
      {},
      auth,
    );
    expect(result.data!.followUps).toEqual({
      totalCount: 2,
      edges: [
        { node: { score: 30, followUpDate: '2026-12-03T00:00:00.000Z', conversation: { externalId: 'q-3' }, event: { eventType: 'FOLLOWUP_DETECTION' } } },
        { node: { score: 50, followUpDate: '2026-12-05T00:00:00.000Z', conversation: { externalId: 'q-5' }, event: { eventType: 'FOLLOWUP_DETECTION' } } },
      ],
    });
  });

  it('lists contacts', async () => {
    const result = await server.graphql('{ contacts(first: 100) { totalCount edges { node { externalId } } } }', {}, auth);
    expect(result.data!.contacts.totalCount).toBe(6);
    expect(result.data!.contacts.edges.map((edge: any) => edge.node.externalId)).toEqual(fixtures.map((fixture) => `c-${fixture.externalId}`));
  });
});
