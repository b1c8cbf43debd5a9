import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Issue 11.5: nothing of seed 003 is dropped. Every leaf of the seed's example payload (the fixture
 * is that example, byte for byte) is readable through the API after ingest: the envelope in
 * `metaData`, the transcript as received in `transcript`, everything else in `sourcePayload` at its
 * own path, and the fields with a home of their own in that field too.
 */

type Leaf = { path: Array<string | number>; value: unknown };

function leavesOf(value: unknown, path: Array<string | number> = []): Leaf[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => leavesOf(item, [...path, index]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, member]) => leavesOf(member, [...path, key]));
  return [{ path, value }];
}

function at(value: unknown, path: Array<string | number>): unknown {
  return path.reduce<unknown>((node, key) => (node === null || node === undefined ? undefined : (node as Record<string | number, unknown>)[key]), value);
}

const READ = `query($id: UUID!) {
  conversation(id: $id) {
    externalId channel conversationType direction status telephonyStatus endReason phoneId externalWorkspaceId
    fromPhoneNumber toPhoneNumber recordingUrl recordingStatus campaignId campaignRunId dynamicVariables postCallMetadata
    durationSeconds startedAt endedAt externalCreatedAt externalUpdatedAt metaData transcript sourcePayload
    reported { sentiment { label } }
    agents { externalId activatedAt deactivatedAt agent { externalId } }
    participants { externalId joinedAt leftAt contact { externalId name email phoneNumber identifier priority doNotDisturb source sourceFile metaData externalCreatedAt externalUpdatedAt } }
    transfers { externalId startedAt endedAt userJoinedAt userLeftAt destination status agent { externalId } }
    messages { edges { node { sequence content } } }
  }
}`;

let server: TestServer;
let seed: { eventId: string; eventType: string; payload: Record<string, unknown> };
beforeAll(async () => {
  server = await startTestServer();
  seed = JSON.parse(await readFile(new URL('../fixtures/oration-analysis-completed.json', import.meta.url), 'utf8'));
});
afterAll(async () => {
  await server?.stop();
});

async function deliver(body: unknown, apiKey: string): Promise<string> {
  const response = await fetch(`${server.url}/webhooks/oration`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { conversationId: string };
  expect(response.status, JSON.stringify(answer)).toBeLessThan(300);
  return answer.conversationId;
}

async function readBack(body: unknown) {
  const tenant = await server.createTenant(['INGEST', 'READ']);
  const id = await deliver(body, tenant.apiKey);
  const read = await server.graphql(READ, { id }, tenant.auth);
  expect(read.errors, JSON.stringify(read.errors)).toBeUndefined();
  return read.data!.conversation as Record<string, any>;
}

describe('seed 003, leaf by leaf', () => {
  it('every leaf of the example payload is readable after ingest', async () => {
    const conversation = await readBack(seed);
    const leaves = leavesOf(seed);
    expect(leaves.length).toBe(75); // the example as the seed has it
    const missing = leaves.filter(({ path, value }) => {
      const [head, ...rest] = path;
      if (head !== 'payload') return at(conversation.metaData, path) !== value; // eventId, eventType
      if (rest[0] === 'transcript') return conversation.transcript !== value;
      return at(conversation.sourcePayload, rest) !== value;
    });
    expect(missing.map((leaf) => leaf.path.join('.'))).toEqual([]);
    // The transcript is kept as received, and not a second time inside sourcePayload.
    expect(conversation.transcript).toBe(seed.payload.transcript);
    expect(conversation.sourcePayload).not.toHaveProperty('transcript');
  });

  it('the leaves with a home of their own read back there too, the ones the issue found dropped included', async () => {
    const conversation = await readBack(seed);
    const payload = seed.payload as Record<string, any>;
    const iso = (text: string) => new Date(text).toISOString();
    expect(conversation).toMatchObject({
      externalId: payload.id,
      phoneId: payload.phoneId,
      externalWorkspaceId: payload.workspaceId,
      fromPhoneNumber: payload.fromPhoneNumber,
      toPhoneNumber: payload.toPhoneNumber,
      conversationType: payload.conversationType,
      telephonyStatus: payload.telephonyStatus,
      endReason: payload.endReason,
      recordingUrl: payload.recordingUrl,
      recordingStatus: payload.recordingStatus,
      campaignId: payload.campaignId,
      campaignRunId: payload.campaignRunId,
      dynamicVariables: JSON.parse(payload.dynamicVariables),
      postCallMetadata: payload.postCallMetadata,
      durationSeconds: payload.postCallMetadata.duration,
      startedAt: iso(payload.callStartTime),
      endedAt: iso(payload.callEndTime),
      externalCreatedAt: iso(payload.createdAt),
      externalUpdatedAt: iso(payload.updatedAt),
      reported: { sentiment: { label: 'POSITIVE' } },
    });
    // The raw values beside the mapped ones: `conversationStatus`, `telephonyType` (→ direction), `customer.workspaceId`,
    // the ids and times of agents[], users[] (their agentId too) and transfers[].
    expect(conversation.direction).toBe('OUTBOUND');
    expect(conversation.sourcePayload).toMatchObject({
      conversationStatus: payload.conversationStatus,
      telephonyType: payload.telephonyType,
      customer: { workspaceId: payload.customer.workspaceId },
      agents: [{ conversationId: payload.id, createdAt: payload.agents[0].createdAt, updatedAt: payload.agents[0].updatedAt }],
      users: [{ agentId: payload.users[0].agentId, conversationId: payload.id, createdAt: payload.users[0].createdAt }],
      transfers: [{ conversationId: payload.id, updatedAt: payload.transfers[0].updatedAt }],
    });
    const [usage] = conversation.agents;
    expect(usage).toMatchObject({ externalId: payload.agents[0].id, activatedAt: iso(payload.agents[0].agentJoinTime), agent: { externalId: payload.agentId } });
    expect(conversation.participants).toEqual([
      {
        externalId: payload.users[0].id,
        joinedAt: iso(payload.users[0].userJoinTime),
        leftAt: iso(payload.users[0].userLeaveTime),
        contact: {
          externalId: payload.customer.id,
          name: payload.customer.name,
          email: payload.customer.email,
          phoneNumber: payload.customer.phoneNumber,
          identifier: payload.customer.identifier,
          priority: payload.customer.priority,
          doNotDisturb: payload.customer.isDoNotDisturbEnabled,
          source: payload.customer.source,
          sourceFile: null,
          metaData: payload.customer.metadata,
          externalCreatedAt: iso(payload.customer.createdAt),
          externalUpdatedAt: iso(payload.customer.updatedAt),
        },
      },
    ]);
    expect(conversation.transfers).toEqual([
      {
        externalId: payload.transfers[0].id,
        startedAt: iso(payload.transfers[0].transferStartTime),
        endedAt: iso(payload.transfers[0].transferEndTime),
        userJoinedAt: iso(payload.transfers[0].transferUserJoinTime),
        userLeftAt: iso(payload.transfers[0].transferUserLeaveTime),
        destination: payload.transfers[0].transferDestination,
        status: payload.transfers[0].transferStatus,
        agent: { externalId: payload.transfers[0].agentId },
      },
    ]);
    expect(conversation.messages.edges.map((edge: { node: { content: string } }) => edge.node.content)).toEqual([
      'Hello, how can I help you today?',
      "I'd like to know about your pricing...",
    ]);
  });

  it('a field Oration adds later, at any depth, is kept too; a redelivery changes nothing', async () => {
    const tenant = await server.createTenant(['INGEST', 'READ']);
    const later = structuredClone(seed) as Record<string, any>;
    later.payload.sentimentTimeline = [{ at: 3, label: 'neutral' }];
    later.payload.customer.loyaltyTier = 'gold';
    const id = await deliver(later, tenant.apiKey);
    const first = await server.graphql(READ, { id }, tenant.auth);
    expect(first.data!.conversation.sourcePayload).toMatchObject({ sentimentTimeline: [{ at: 3, label: 'neutral' }], customer: { loyaltyTier: 'gold' } });
    expect(await deliver(later, tenant.apiKey)).toBe(id);
    const again = await server.graphql(READ, { id }, tenant.auth);
    expect(again.data).toEqual(first.data);
  });
});

describe('the raw transcript through GraphQL ingest', () => {
  it('is kept as sent beside the messages, and too long a transcript is refused naming the field', async () => {
    const tenant = await server.createTenant(['INGEST', 'READ']);
    const INGEST = `mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { conversation { id transcript sourcePayload } } }`;
    const input = {
      externalId: 'raw-1',
      channel: 'CHAT',
      startedAt: '2026-05-04T12:00:00Z',
      transcript: 'Bot: Hi!\r\nUser:  hello  ',
      sourcePayload: { ticket: { id: 7, tags: ['vip'] } },
      messages: [{ sequence: 0, senderRole: 'AGENT', content: 'Hi!' }],
    };
    const stored = await server.graphql(INGEST, { input }, tenant.auth);
    expect(stored.errors, JSON.stringify(stored.errors)).toBeUndefined();
    expect(stored.data!.ingestConversation.conversation).toMatchObject({ transcript: input.transcript, sourcePayload: input.sourcePayload });
    const refused = await server.graphql(INGEST, { input: { ...input, transcript: 'x'.repeat(1_000_001) } }, tenant.auth);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'transcript' });
    const read = await server.graphql(`query($id: UUID!) { conversation(id: $id) { transcript } }`, { id: stored.data!.ingestConversation.conversation.id }, tenant.auth);
    expect(read.data!.conversation.transcript).toBe(input.transcript);
  });
});
