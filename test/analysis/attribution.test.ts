import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributeAgent } from '../../src/analysis/event-attribution.js';
import { loadConfig } from '../../src/config/config.js';
import { createWorker } from '../../src/jobs/workers.js';
import { silentLogger } from '../support/silent-logger.js';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const localConfig = loadConfig({ JWT_SECRET: TEST_JWT_SECRET, ANALYSIS_PROVIDER: 'local', ANALYSIS_THREADS: '0' });

/** Leo opens and hands over to Ana, who agrees the follow-up: the local analyzer finds a name (turn 1), an objection (4) and a follow-up (4–5). */
function handoverCall(externalId: string) {
  const at = (seconds: number) => new Date(Date.UTC(2026, 10, 10, 14, 0, seconds)).toISOString();
  return {
    externalId,
    channel: 'VOICE',
    startedAt: at(0),
    endedAt: at(90),
    agents: [
      { externalId: 'leo', name: 'Leo', usages: [{ activatedAt: at(0), deactivatedAt: at(15) }] },
      { externalId: 'ana', name: 'Ana', usages: [{ activatedAt: at(15) }] },
    ],
    contacts: [{ externalId: 'maria' }],
    messages: [
      { sequence: 0, senderRole: 'AGENT', agentExternalId: 'leo', content: 'Hi, this is Leo from Acme. How can I help?', sentAt: at(0) },
      { sequence: 1, senderRole: 'USER', contactExternalId: 'maria', content: 'My name is Maria. I want to know about the premium plan.', sentAt: at(5) },
      { sequence: 2, senderRole: 'AGENT', agentExternalId: 'leo', content: 'Let me transfer you to Ana from sales.', sentAt: at(10) },
      { sequence: 3, senderRole: 'AGENT', agentExternalId: 'ana', content: 'Hi Maria, this is Ana. The premium plan costs $99 per month.', sentAt: at(20) },
      { sequence: 4, senderRole: 'USER', contactExternalId: 'maria', content: 'I need to think about it. Can you call me tomorrow at 2 pm?', sentAt: at(30) },
      { sequence: 5, senderRole: 'AGENT', agentExternalId: 'ana', content: 'Sure, I will call you tomorrow at 2 pm.', sentAt: at(40) },
    ],
  };
}

async function ingestAndAnalyse(tenant: Awaited<ReturnType<TestServer['createTenant']>>, externalId: string) {
  const ingested = await server.graphql(
    'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { conversation { id agents { agent { id name } } } } }',
    { input: handoverCall(externalId) },
    tenant.auth,
  );
  expect(ingested.errors).toBeUndefined();
  const conversation = ingested.data!.ingestConversation.conversation;
  const worker = createWorker(localConfig, server.app.database, silentLogger, undefined, { organizationIds: [tenant.organizationId] });
  expect(await worker.runOnce()).toBe(1);
  const agentId = (name: string) => conversation.agents.find((usage: any) => usage.agent.name === name).agent.id as string;
  return { conversationId: conversation.id as string, leo: agentId('Leo'), ana: agentId('Ana') };
}

const BY_AGENT = `query($agentId: UUID) {
  events(filter: { agentId: $agentId, source: DETECTED }, first: 50) { totalCount edges { node { eventType eventSubtype contextStartIndex contextEndIndex agent { name } } } }
  followUps(filter: { agentId: $agentId }, first: 50) { totalCount edges { node { score agent { name } event { eventType } } } }
}`;

describe('detected events and follow-ups carry their agent', () => {
  it('the agent that spoke in the evidence range, else the primary agent; followUps and events filter by it', async () => {
    const tenant = await server.createTenant();
    const { conversationId, leo, ana } = await ingestAndAnalyse(tenant, 'handover-1');

    const read = await server.graphql(
      'query($id: UUID!) { conversation(id: $id) { events { eventType eventSubtype source contextStartIndex contextEndIndex agent { name } } followUps { agent { name } } } }',
      { id: conversationId },
      tenant.auth,
    );
    expect(read.errors).toBeUndefined();
    const events = read.data!.conversation.events.map((event: any) => [event.eventType, event.eventSubtype, event.contextStartIndex, event.contextEndIndex, event.agent?.name ?? null]);
    expect(events).toEqual(
      expect.arrayContaining([
        // Only Maria spoke in turn 1: Leo, the first agent activated.
        ['CUSTOMER_INFORMATION_DETECTION', 'NAME', 1, 1, 'Leo'],
        ['OBJECTION_DETECTION', null, 4, 4, 'Leo'],
        // Ana answered in turn 5.
        ['FOLLOWUP_DETECTION', null, 4, 5, 'Ana'],
      ]),
    );
    expect(read.data!.conversation.events.every((event: any) => event.source === 'DETECTED' && event.agent !== null)).toBe(true);
    expect(read.data!.conversation.followUps).toEqual([{ agent: { name: 'Ana' } }]);

    const anas = await server.graphql(BY_AGENT, { agentId: ana }, tenant.auth);
    expect(anas.errors).toBeUndefined();
    expect(anas.data!.followUps).toEqual({ totalCount: 1, edges: [{ node: { score: 85, agent: { name: 'Ana' }, event: { eventType: 'FOLLOWUP_DETECTION' } } }] });
    expect(anas.data!.events.edges.map((edge: any) => edge.node.eventType)).toEqual(['FOLLOWUP_DETECTION']);
    const leos = await server.graphql(BY_AGENT, { agentId: leo }, tenant.auth);
    expect(leos.data!.followUps.totalCount).toBe(0);
    expect(leos.data!.events.edges.map((edge: any) => edge.node.eventType).sort()).toEqual(['CUSTOMER_INFORMATION_DETECTION', 'OBJECTION_DETECTION']);
    expect(leos.data!.events.totalCount + anas.data!.events.totalCount).toBe(read.data!.conversation.events.length);
  });

  it("another organization's credential, filtering by these agents, finds nothing; its own analysed call is attributed to its own agents", async () => {
    const a = await server.createTenant();
    const b = await server.createTenant();
    const inA = await ingestAndAnalyse(a, 'shared-call');
    const inB = await ingestAndAnalyse(b, 'shared-call');
    for (const agentId of [inA.leo, inA.ana]) {
      const probe = await server.graphql(BY_AGENT, { agentId }, b.auth);
      expect(probe.errors).toBeUndefined();
      expect(probe.data).toEqual({ events: { totalCount: 0, edges: [] }, followUps: { totalCount: 0, edges: [] } });
    }
    const own = await server.graphql(BY_AGENT, { agentId: inB.ana }, b.auth);
    expect(own.data!.followUps.totalCount).toBe(1);
    expect(inB.ana).not.toBe(inA.ana);
  });
});

describe('the attribution rule', () => {
  const turns = [
    { sequence: 0, agentId: 'leo' },
    { sequence: 2, agentId: 'ana' },
    { sequence: 3, agentId: 'leo' },
    { sequence: 5, agentId: 'ana' },
    { sequence: 6, agentId: 'ana' },
  ];
  const agentOf = attributeAgent(turns, 'primary');
  it.each([
    [0, 0, 'leo'],
    [2, 3, 'ana'], // a tie: the earliest speaker in the range
    [3, 6, 'ana'], // most turns
    [1, 1, 'primary'], // nobody of ours spoke
    [null, 1, 'leo'], // open start: from the first turn
    [4, null, 'ana'], // open end: to the last turn
    [null, null, 'primary'],
  ] as const)('[%s, %s] → %s', (contextStartIndex, contextEndIndex, expected) => {
    expect(agentOf({ contextStartIndex, contextEndIndex })).toBe(expected);
  });
  it('no agent at all: null', () => {
    expect(attributeAgent([], null)({ contextStartIndex: 0, contextEndIndex: 3 })).toBeNull();
  });
});
