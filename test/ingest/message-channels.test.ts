import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Auth, type TestServer } from '../support/test-server.js';

/**
 * Issue 11 item 5, seed 001 `messages.channel` / `messages.origin`: a turn carries its own channel
 * and origin (a conversation can move from voice to WhatsApp); a turn without its own has the
 * conversation's.
 */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const INGEST = `mutation($input: IngestConversationInput!) {
  ingestConversation(input: $input) { status conversation { id } }
}`;
const APPEND = `mutation($id: UUID!, $messages: [MessageInput!]!) { appendMessages(conversationId: $id, messages: $messages) { id } }`;
const READ = `query($id: UUID!) { conversation(id: $id) { id channel origin messages(first: 100) { edges { node { sequence channel origin content } } } } }`;

async function ok(query: string, variables: Record<string, unknown>, auth: Auth) {
  const response = await server.graphql(query, variables, auth);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data as Record<string, any>;
}

type Turn = { sequence: number; channel: string; origin: string; content: string };
const nodes = (conversation: { messages: { edges: Array<{ node: Turn }> } }) => conversation.messages.edges.map((edge) => edge.node);
const turns = (conversation: { messages: { edges: Array<{ node: Turn }> } }) => nodes(conversation).map(({ sequence, channel, origin }) => ({ sequence, channel, origin }));

describe('per-message channel and origin', () => {
  it('a conversation moves from voice to WhatsApp: ingested and appended turns keep their own channel, the others inherit', async () => {
    const tenant = await server.createTenant();
    const input = {
      externalId: 'voice-then-whatsapp',
      origin: 'oration',
      channel: 'VOICE',
      messages: [
        { sequence: 0, senderRole: 'AGENT', content: 'Hello, this is Acme on the phone.' },
        { sequence: 1, senderRole: 'USER', content: 'Can you send me the offer on WhatsApp?' },
        { sequence: 2, senderRole: 'AGENT', content: 'Here is the offer.', channel: 'WHATSAPP', origin: 'whatsapp-business' },
      ],
    };
    const { ingestConversation } = await ok(INGEST, { input }, tenant.auth);
    const id = ingestConversation.conversation.id as string;
    await ok(APPEND, { id, messages: [
      { sequence: 3, senderRole: 'USER', content: 'Thanks, got it.', channel: 'WHATSAPP', origin: 'whatsapp-business' },
      { sequence: 4, senderRole: 'AGENT', content: 'Back on the line.' },
    ] }, tenant.auth);

    const { conversation } = await ok(READ, { id }, tenant.auth);
    expect(conversation).toMatchObject({ channel: 'VOICE', origin: 'oration' });
    expect(turns(conversation)).toEqual([
      { sequence: 0, channel: 'VOICE', origin: 'oration' },
      { sequence: 1, channel: 'VOICE', origin: 'oration' },
      { sequence: 2, channel: 'WHATSAPP', origin: 'whatsapp-business' },
      { sequence: 3, channel: 'WHATSAPP', origin: 'whatsapp-business' },
      { sequence: 4, channel: 'VOICE', origin: 'oration' },
    ]);

    // The same payload again is UNCHANGED; a turn's channel changed is an update of that turn only.
    expect((await ok(INGEST, { input }, tenant.auth)).ingestConversation.status).toBe('UPDATED'); // appendMessages cleared the fingerprint
    expect((await ok(INGEST, { input }, tenant.auth)).ingestConversation.status).toBe('UNCHANGED');
    const moved = { ...input, messages: input.messages.map((message) => (message.sequence === 1 ? { ...message, channel: 'WHATSAPP' } : message)) };
    expect((await ok(INGEST, { input: moved }, tenant.auth)).ingestConversation.status).toBe('UPDATED');
    expect(turns((await ok(READ, { id }, tenant.auth)).conversation)).toEqual([
      { sequence: 0, channel: 'VOICE', origin: 'oration' },
      { sequence: 1, channel: 'WHATSAPP', origin: 'oration' },
      { sequence: 2, channel: 'WHATSAPP', origin: 'whatsapp-business' },
    ]);
  });

  it("a turn without its own channel follows the conversation's when only the conversation's channel changes", async () => {
    const tenant = await server.createTenant();
    const input = {
      externalId: 'chat-becomes-sms',
      origin: 'crm',
      channel: 'CHAT',
      messages: [
        { sequence: 0, senderRole: 'USER', content: 'Hi' },
        { sequence: 1, senderRole: 'AGENT', content: 'Hello', channel: 'EMAIL' },
      ],
    };
    const id = (await ok(INGEST, { input }, tenant.auth)).ingestConversation.conversation.id as string;
    expect((await ok(INGEST, { input: { ...input, channel: 'SMS' } }, tenant.auth)).ingestConversation.status).toBe('UPDATED');
    const { conversation } = await ok(READ, { id }, tenant.auth);
    expect(conversation.channel).toBe('SMS');
    expect(turns(conversation)).toEqual([
      { sequence: 0, channel: 'SMS', origin: 'crm' },
      { sequence: 1, channel: 'EMAIL', origin: 'crm' },
    ]);
  });

  it("another organization's turns and channels never show", async () => {
    const a = await server.createTenant();
    const b = await server.createTenant();
    const input = {
      externalId: 'same-external-id',
      origin: 'oration',
      channel: 'VOICE',
      messages: [{ sequence: 0, senderRole: 'USER', content: 'secret of A', channel: 'WHATSAPP', origin: 'wa' }],
    };
    const idA = (await ok(INGEST, { input }, a.auth)).ingestConversation.conversation.id as string;
    const idB = (await ok(INGEST, { input: { ...input, messages: [{ sequence: 0, senderRole: 'USER', content: 'of B' }] } }, b.auth)).ingestConversation.conversation.id as string;
    expect(idB).not.toBe(idA);
    const foreign = await server.graphql(READ, { id: idA }, b.auth);
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(foreign.data?.conversation ?? null).toBeNull();
    const ofB = (await ok(READ, { id: idB }, b.auth)).conversation;
    expect(nodes(ofB)).toEqual([{ sequence: 0, channel: 'VOICE', origin: 'oration', content: 'of B' }]);
    const appended = await server.graphql(APPEND, { id: idA, messages: [{ sequence: 1, senderRole: 'USER', content: 'x', channel: 'SMS' }] }, b.auth);
    expect(appended.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(turns((await ok(READ, { id: idA }, a.auth)).conversation)).toEqual([{ sequence: 0, channel: 'WHATSAPP', origin: 'wa' }]);
  });

  it('an over-long message origin is BAD_USER_INPUT and writes nothing', async () => {
    const tenant = await server.createTenant();
    const response = await server.graphql(INGEST, {
      input: { externalId: 'long-origin', origin: 'x', channel: 'VOICE', messages: [{ sequence: 0, senderRole: 'USER', content: 'hi', origin: 'o'.repeat(10_000) }] },
    }, tenant.auth);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await ok('{ conversations { edges { node { id } } } }', {}, tenant.auth)).conversations.edges).toEqual([]);
  });
});
