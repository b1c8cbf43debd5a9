import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Links between what a conversation owns: a function call's turn, a ticket's conversation (and
 * every conversation that touched a ticket), an agent usage's success rate (reported, else
 * derived from its calls). Through the HTTP API, planned and not (GRAPHQL_READ_PLANNER=false).
 */
let planned: TestServer;
let unplanned: TestServer;
beforeAll(async () => {
  planned = await startTestServer();
  unplanned = await startTestServer({ GRAPHQL_READ_PLANNER: 'false' });
});
afterAll(async () => {
  await planned?.stop();
  await unplanned?.stop();
});

const INGEST = 'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { conversation { id } } }';

function call(externalId: string, extra: Record<string, unknown>) {
  return {
    externalId,
    channel: 'VOICE',
    startedAt: '2026-11-10T14:00:00.000Z',
    endedAt: '2026-11-10T14:05:00.000Z',
    agents: [
      { externalId: 'reported', name: 'Reported', usages: [{ successRate: 0.75 }] },
      { externalId: 'derived', name: 'Derived', usages: [{}] },
      { externalId: 'idle', name: 'Idle', usages: [{}] },
    ],
    messages: [
      { sequence: 0, senderRole: 'AGENT', agentExternalId: 'derived', content: 'Let me check.' },
      { sequence: 1, senderRole: 'USER', content: 'Thanks.' },
      { sequence: 2, senderRole: 'AGENT', agentExternalId: 'reported', content: 'Done.' },
    ],
    ...extra,
  };
}

async function ingest(server: TestServer, auth: { apiKey: string } | undefined, input: unknown): Promise<string> {
  const result = await server.graphql(INGEST, { input }, auth);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.ingestConversation.conversation.id;
}

for (const [name, server] of [['planned', () => planned], ['unplanned', () => unplanned]] as const) {
  describe(`links (${name})`, () => {
    it('a function call reads its turn; a call sent without one reads null', async () => {
      const tenant = await server().createTenant();
      const id = await ingest(server(), tenant.auth as { apiKey: string }, call('turns', {
        actions: [
          { agentExternalId: 'derived', messageSequence: 0, functionName: 'lookup', status: 'SUCCESS' },
          { agentExternalId: 'reported', messageSequence: 2, functionName: 'book', status: 'FAIL' },
          { agentExternalId: 'derived', functionName: 'notify', status: 'FAIL' },
        ],
      }));
      const read = await server().graphql(
        'query($id: UUID!) { conversation(id: $id) { messages { edges { node { id sequence } } } actions { functionName message { id sequence content } } } }',
        { id },
        tenant.auth,
      );
      expect(read.errors).toBeUndefined();
      const messageId = Object.fromEntries(read.data!.conversation.messages.edges.map((edge: any) => [edge.node.sequence, edge.node.id]));
      const bySequence = (sequence: number, content: string) => ({ id: messageId[sequence], sequence, content });
      expect(Object.fromEntries(read.data!.conversation.actions.map((action: any) => [action.functionName, action.message]))).toEqual({
        lookup: bySequence(0, 'Let me check.'),
        book: bySequence(2, 'Done.'),
        notify: null,
      });
    });

    it('successRate: the reported value wins; else succeeded / all of the agent’s calls; null without calls', async () => {
      const tenant = await server().createTenant();
      const id = await ingest(server(), tenant.auth as { apiKey: string }, call('rates', {
        actions: [
          { agentExternalId: 'derived', functionName: 'a', status: 'SUCCESS' },
          { agentExternalId: 'derived', functionName: 'b', status: 'TIMEOUT' },
          { agentExternalId: 'derived', functionName: 'c', status: 'SUCCESS' },
          { agentExternalId: 'derived', functionName: 'd', status: 'RETRY' },
          { agentExternalId: 'reported', functionName: 'e', status: 'FAIL' },
        ],
      }));
      const read = await server().graphql('query($id: UUID!) { conversation(id: $id) { agents { successRate agent { name } } } }', { id }, tenant.auth);
      expect(read.errors).toBeUndefined();
      expect(Object.fromEntries(read.data!.conversation.agents.map((usage: any) => [usage.agent.name, usage.successRate]))).toEqual({
        Reported: 0.75, // as sent, although its one call failed
        Derived: 0.5, // 2 of 4
        Idle: null,
      });
    });

    it('tickets(filter) lists every conversation that touched a ticket, pages by cursor, and leads back to each conversation', async () => {
      const tenant = await server().createTenant();
      const auth = tenant.auth as { apiKey: string };
      const first = await ingest(server(), auth, call('t-1', { tickets: [{ ticketId: 'INC7', action: 'CREATED', reason: 'login' }, { ticketId: 'INC8', action: 'CREATED' }] }));
      const second = await ingest(server(), auth, call('t-2', { tickets: [{ ticketId: 'INC7', action: 'LINKED' }] }));
      const third = await ingest(server(), auth, call('t-3', { tickets: [{ ticketSystem: 'JIRA', ticketId: 'INC7', action: 'UPDATED' }] }));
      const query = `query($filter: TicketFilter, $first: Int, $after: String) { tickets(filter: $filter, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { ticketSystem ticketId action conversationId conversation { id externalId } } } } }`;
      const rows = async (filter: unknown) => {
        const result = await server().graphql(query, { filter, first: 100 }, auth);
        expect(result.errors).toBeUndefined();
        return result.data!.tickets.edges.map((edge: any) => [edge.node.ticketSystem, edge.node.action, edge.node.conversation.externalId]);
      };
      expect(await rows({ ticketId: 'INC7' })).toEqual([
        ['SERVICENOW', 'CREATED', 't-1'],
        ['SERVICENOW', 'LINKED', 't-2'],
        ['JIRA', 'UPDATED', 't-3'],
      ]);
      expect(await rows({ ticketId: 'INC7', ticketSystem: 'SERVICENOW', action: 'LINKED' })).toEqual([['SERVICENOW', 'LINKED', 't-2']]);
      expect(await rows({ ticketSystem: 'JIRA' })).toEqual([['JIRA', 'UPDATED', 't-3']]);
      expect(await rows({ ticketId: 'INC9' })).toEqual([]);
      expect((await rows(null)).length).toBe(4);

      // Two pages of INC7, then the last; the back link is the row's own conversation.
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 3; page++) {
        const result: any = await server().graphql(query, { filter: { ticketId: 'INC7' }, first: 2, after }, auth);
        expect(result.data.tickets.totalCount).toBe(3);
        for (const edge of result.data.tickets.edges) {
          expect(edge.node.conversation.id).toBe(edge.node.conversationId);
          seen.push(edge.node.conversation.id);
        }
        after = result.data.tickets.pageInfo.hasNextPage ? result.data.tickets.pageInfo.endCursor : null;
        if (!after) break;
      }
      expect(seen).toEqual([first, second, third]);

      const bad = await server().graphql(query, { filter: { ticketId: 'INC7' }, after: 'nope' }, auth);
      expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const tooMany = await server().graphql(query, { first: 101 }, auth);
      expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it("another organization's ticket id returns nothing, even where it has a ticket of the same id", async () => {
      const a = await server().createTenant();
      const b = await server().createTenant();
      const inA = await ingest(server(), a.auth as { apiKey: string }, call('shared', { tickets: [{ ticketId: 'SHARED-1', action: 'CREATED', reason: 'a-private' }] }));
      const query = 'query($id: String) { tickets(filter: { ticketId: $id }) { totalCount edges { node { id reason conversation { id } } } } }';
      const empty = await server().graphql(query, { id: 'SHARED-1' }, b.auth);
      expect(empty.errors).toBeUndefined();
      expect(empty.data!.tickets).toEqual({ totalCount: 0, edges: [] });
      const inB = await ingest(server(), b.auth as { apiKey: string }, call('shared', { tickets: [{ ticketId: 'SHARED-1', action: 'LINKED', reason: 'b-own' }] }));
      const own = await server().graphql(query, { id: 'SHARED-1' }, b.auth);
      expect(own.data!.tickets.edges.map((edge: any) => [edge.node.reason, edge.node.conversation.id])).toEqual([['b-own', inB]]);
      const theirs = await server().graphql(query, { id: 'SHARED-1' }, a.auth);
      expect(theirs.data!.tickets.edges.map((edge: any) => [edge.node.reason, edge.node.conversation.id])).toEqual([['a-private', inA]]);
    });
  });
}
