import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectSubscriptions, type TestSubscriptionClient } from '../support/subscription-client.js';
import { mintJwt } from '../../src/auth/jwt.service.js';
import { startTestServer, TEST_JWT_SECRET, type Auth, type TestServer } from '../support/test-server.js';

let server: TestServer;
const clients: TestSubscriptionClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ SUBSCRIPTION_REVALIDATE_SECONDS: '1' });
});
afterEach(async () => {
  for (const client of clients.splice(0)) await client.dispose();
});
afterAll(async () => {
  await server.stop();
});

function connect(auth: Auth, url = server.url): TestSubscriptionClient {
  const client = connectSubscriptions(url, auth);
  clients.push(client);
  return client;
}

const UPDATED = `subscription($id: UUID!) {
  conversationUpdated(id: $id) { kind conversationId status analysisStatus conversation { id status analysisStatus messages(first: 50) { totalCount edges { node { sequence content } } } } }
}`;

const ingest = (auth: Auth, input: Partial<Record<string, unknown>> = {}) => ingestOn(server, auth, input);
const append = (auth: Auth, conversationId: string, sequence: number, content: string) => appendOn(server, auth, conversationId, sequence, content);

async function ingestOn(target: TestServer, auth: Auth, input: Partial<Record<string, unknown>> = {}): Promise<string> {
  const response = await target.graphql<{ ingestConversation: { conversation: { id: string } } }>(
    'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { conversation { id } } }',
    {
      input: {
        externalId: `live-${randomUUID()}`,
        channel: 'VOICE',
        status: 'ONGOING',
        startedAt: '2026-11-10T10:00:00Z',
        messages: [{ sequence: 0, senderRole: 'AGENT', content: 'Hello, how can I help?' }],
        ...input,
      },
    },
    auth,
  );
  expect(response.errors).toBeUndefined();
  return response.data!.ingestConversation.conversation.id;
}

async function appendOn(target: TestServer, auth: Auth, conversationId: string, sequence: number, content: string) {
  const response = await target.graphql(
    'mutation($id: UUID!, $messages: [MessageInput!]!) { appendMessages(conversationId: $id, messages: $messages) { id } }',
    { id: conversationId, messages: [{ sequence, senderRole: 'USER', content }] },
    auth,
  );
  expect(response.errors).toBeUndefined();
}

/** Resolves once this server holds `count` active subscriptions (they listen from then on). */
async function subscriptionsActive(count: number, target = server) {
  const gauge = target.app.metrics.registry.getSingleMetric('alma_subscriptions')!;
  for (;;) {
    const value = (await gauge.get()).values[0]?.value ?? 0;
    if (value >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function activeSubscriptions(): Promise<number> {
  return (await server.app.metrics.registry.getSingleMetric('alma_subscriptions')!.get()).values[0]?.value ?? 0;
}

describe('GraphQL subscriptions over WebSocket (graphql-ws on /graphql)', () => {
  it('delivers appended messages and status changes of a conversation, read for the subscriber', async () => {
    const tenant = await server.createTenant();
    const conversationId = await ingest(tenant.auth);
    const client = connect(tenant.auth);
    const before = await activeSubscriptions();
    const updates = client.subscribe(UPDATED, { id: conversationId });
    await subscriptionsActive(before + 1);

    await append(tenant.auth, conversationId, 1, 'What does the premium plan cost?');
    const [appended] = await updates.received(1);
    expect(appended).toEqual({
      data: {
        conversationUpdated: {
          kind: 'MESSAGES_APPENDED',
          conversationId,
          status: null,
          analysisStatus: null,
          conversation: {
            id: conversationId,
            status: 'ONGOING',
            analysisStatus: 'NOT_REQUESTED',
            messages: {
              totalCount: 2,
              edges: [
                { node: { sequence: 0, content: 'Hello, how can I help?' } },
                { node: { sequence: 1, content: 'What does the premium plan cost?' } },
              ],
            },
          },
        },
      },
    });

    // A second event gets fresh DataLoaders: it sees the third message.
    await append(tenant.auth, conversationId, 2, 'And the basic one?');
    const completed = await server.graphql('mutation($id: UUID!) { completeConversation(id: $id) { id } }', { id: conversationId }, tenant.auth);
    expect(completed.errors).toBeUndefined();
    const [, second, third] = await updates.received(3);
    expect(second!.data!.conversationUpdated.conversation.messages.totalCount).toBe(3);
    expect(third!.data!.conversationUpdated).toMatchObject({ kind: 'STATUS_CHANGED', status: 'COMPLETED', analysisStatus: 'PENDING' });
    expect(third!.data!.conversationUpdated.conversation).toMatchObject({ status: 'COMPLETED', analysisStatus: 'PENDING' });
  });

  it("never delivers another organization's changes, whatever id is named", async () => {
    const a = await server.createTenant();
    const b = await server.createTenant();
    const conversationOfB = await ingest(b.auth);
    const conversationOfA = await ingest(a.auth);
    const clientA = connect(a.auth);
    const clientB = connect(b.auth);

    // Naming B's conversation with A's key: NOT_FOUND, as for a conversation that does not exist.
    const foreign = clientA.subscribe(UPDATED, { id: conversationOfB });
    const [refused] = await foreign.received(1);
    expect(refused!.data).toBeUndefined();
    expect(refused!.errors).toMatchObject([{ message: 'Conversation not found', extensions: { code: 'NOT_FOUND' } }]);
    expect(await foreign.ended).toEqual({ completed: true });
    const missing = clientA.subscribe(UPDATED, { id: randomUUID() });
    expect((await missing.received(1))[0]!.errors).toMatchObject([{ message: 'Conversation not found', extensions: { code: 'NOT_FOUND' } }]);

    const before = await activeSubscriptions();
    const activityA = clientA.subscribe('subscription { conversationActivity(filter: { kinds: [MESSAGES_APPENDED, STARTED] }) { kind conversationId conversation { id } } }');
    const updatesB = clientB.subscribe(UPDATED, { id: conversationOfB });
    await subscriptionsActive(before + 2);

    await append(b.auth, conversationOfB, 1, 'B speaking');
    const [ofB] = await updatesB.received(1);
    expect(ofB!.data!.conversationUpdated).toMatchObject({ kind: 'MESSAGES_APPENDED', conversationId: conversationOfB });
    // Changes arrive in commit order: once A's own later change is in, B's would have been too.
    await append(a.auth, conversationOfA, 1, 'A speaking');
    const [ofA] = await activityA.received(1);
    expect(ofA!.data!.conversationActivity).toEqual({ kind: 'MESSAGES_APPENDED', conversationId: conversationOfA, conversation: { id: conversationOfA } });
    expect(activityA.results).toHaveLength(1);
  });

  it('conversationActivity delivers what its filter names (channel read from the conversation)', async () => {
    const tenant = await server.createTenant();
    const client = connect(tenant.auth);
    const before = await activeSubscriptions();
    const chats = client.subscribe('subscription { conversationActivity(filter: { channels: [CHAT] }) { kind conversation { externalId channel } } }');
    const completions = client.subscribe('subscription { conversationActivity(filter: { statuses: [COMPLETED] }) { kind status conversation { externalId } } }');
    await subscriptionsActive(before + 2);

    await ingest(tenant.auth, { externalId: 'voice-1', channel: 'VOICE' });
    const chatId = await ingest(tenant.auth, { externalId: 'chat-1', channel: 'CHAT' });
    expect((await chats.received(1))[0]!.data!.conversationActivity).toEqual({ kind: 'STARTED', conversation: { externalId: 'chat-1', channel: 'CHAT' } });
    await server.graphql('mutation($id: UUID!) { completeConversation(id: $id) { id } }', { id: chatId }, tenant.auth);
    expect((await completions.received(1))[0]!.data!.conversationActivity).toEqual({ kind: 'STATUS_CHANGED', status: 'COMPLETED', conversation: { externalId: 'chat-1' } });
    const [, chatCompleted] = await chats.received(2);
    expect(chatCompleted!.data!.conversationActivity.kind).toBe('STATUS_CHANGED');
    expect(chats.results.every((result) => result.data!.conversationActivity.conversation.channel === 'CHAT')).toBe(true);
  });

  it('refuses a connection without a valid credential with 4401', async () => {
    expect(await connect(undefined).closed).toEqual({
      code: 4401,
      reason: 'Authentication required: send x-api-key or Authorization: Bearer <token> in the connection_init payload',
    });
    expect(await connect({ apiKey: `alma_${'x'.repeat(43)}` }).closed).toMatchObject({ code: 4401, reason: expect.stringContaining('API key is unknown, revoked or expired') });
    expect(await connect({ token: 'not-a-jwt' }).closed).toMatchObject({ code: 4401, reason: 'The token is invalid or expired' });
  });

  it('closes the socket of a revoked key with 4403, on its next check', async () => {
    const tenant = await server.createTenant();
    const admin = { token: server.adminToken };
    const created = await server.graphql<{ createApiKey: { apiKey: { id: string }; secret: string } }>(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } secret } }',
      { input: { organizationId: tenant.organizationId, name: 'live key', scopes: ['READ'] } },
      admin,
    );
    expect(created.errors).toBeUndefined();
    const conversationId = await ingest(tenant.auth);
    const client = connect({ apiKey: created.data!.createApiKey.secret });
    const before = await activeSubscriptions();
    const updates = client.subscribe(UPDATED, { id: conversationId });
    await subscriptionsActive(before + 1);

    const revoked = await server.graphql('mutation($id: UUID!) { revokeApiKey(id: $id) { id } }', { id: created.data!.createApiKey.apiKey.id }, admin);
    expect(revoked.errors).toBeUndefined();
    expect(await client.closed).toEqual({ code: 4403, reason: 'Credential no longer valid: The API key is unknown, revoked or expired, or its organization is inactive' });
    expect(updates.results).toEqual([]);
  });

  it('closes a deactivated organization’s member socket with 4403', async () => {
    const tenant = await server.createTenant();
    const client = connect({ token: server.memberToken(tenant.organizationId) });
    const before = await activeSubscriptions();
    client.subscribe('subscription { conversationActivity { kind } }');
    await subscriptionsActive(before + 1);
    const deactivated = await server.graphql('mutation($id: UUID!) { deactivateOrganization(id: $id) { id } }', { id: tenant.organizationId }, { token: server.adminToken });
    expect(deactivated.errors).toBeUndefined();
    expect(await client.closed).toEqual({ code: 4403, reason: 'Credential no longer valid: The organization of this token is inactive or unknown' });
  });

  it('closes the socket of a token that expires with 4403', async () => {
    const tenant = await server.createTenant();
    const token = mintJwt({ role: 'member', organizationId: tenant.organizationId }, { secret: TEST_JWT_SECRET }, 1);
    const client = connect({ token });
    const before = await activeSubscriptions();
    client.subscribe('subscription { conversationActivity { kind } }');
    await subscriptionsActive(before + 1);
    expect(await client.closed).toEqual({ code: 4403, reason: 'Credential no longer valid: The token is invalid or expired' });
  });

  it('applies the scopes and limits of HTTP operations to subscriptions', async () => {
    const ingestOnly = await server.createTenant(['INGEST']);
    const client = connect(ingestOnly.auth);
    // Without READ: refused before anything runs, as over HTTP (the fields below the root need READ).
    const forbidden = client.subscribe('subscription { conversationActivity { kind } }');
    expect(await forbidden.ended).toMatchObject({ error: [{ extensions: { code: 'FORBIDDEN', fields: ['ConversationChange.kind'] } }] });
    // The root field alone says so too (nothing selected below it that needs READ).
    const root = client.subscribe('subscription { conversationActivity { __typename } }');
    expect((await root.received(1))[0]!.errors).toMatchObject([{ message: 'This operation needs one of: READ', extensions: { code: 'FORBIDDEN' } }]);

    const reader = await server.createTenant(['READ']);
    const readerClient = connect(reader.auth);
    const kinds = Array.from({ length: 101 }, () => 'STARTED').join(', ');
    const tooMany = readerClient.subscribe(`subscription { conversationActivity(filter: { kinds: [${kinds}] }) { kind } }`);
    expect(await tooMany.ended).toMatchObject({ error: [{ extensions: { code: 'BAD_USER_INPUT', field: 'filter.kinds', maxItems: 100 } }] });
    const query = readerClient.subscribe('{ viewer { kind } }');
    expect(await query.ended).toMatchObject({ error: [{ message: expect.stringContaining('Only subscriptions are served over WebSocket'), extensions: { code: 'BAD_USER_INPUT' } }] });
    const aliases = Array.from({ length: 21 }, (_, index) => `k${index}: kind`).join(' ');
    const tooManyAliases = readerClient.subscribe(`subscription { conversationActivity { ${aliases} } }`);
    expect(await tooManyAliases.ended).toMatchObject({ error: [{ extensions: { code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' } }] });
    const invalid = readerClient.subscribe('subscription { conversationActivity { nope } }');
    expect(await invalid.ended).toMatchObject({ error: [{ extensions: { code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' } }] });
  });

  it('refuses subscriptions over HTTP, and WebSocket upgrades of any other path', async () => {
    const tenant = await server.createTenant();
    const overHttp = await server.graphql('subscription { conversationActivity { kind } }', {}, tenant.auth);
    expect(overHttp.status).toBe(400);
    expect(overHttp.errors).toMatchObject([{ message: expect.stringContaining('Subscriptions are served over WebSocket at /graphql'), extensions: { code: 'BAD_USER_INPUT' } }]);
    const status = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(`${server.url.replace('http', 'ws')}/elsewhere`, 'graphql-transport-ws');
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => reject(new Error('opened')));
      socket.on('error', () => undefined);
    });
    expect(status).toBe(404);
  });
});

describe('conversationUpdated while the worker analyses', () => {
  let analysing: TestServer;
  beforeAll(async () => {
    analysing = await startTestServer({ WORKER_ENABLED: 'true', WORKER_POLL_INTERVAL_MS: '50', ANALYSIS_PROVIDER: 'local', ANALYSIS_THREADS: '0' });
  });
  afterAll(async () => {
    await analysing.stop();
  });

  it('delivers the analysis starting and completing, with its results', async () => {
    const tenant = await analysing.createTenant();
    const conversationId = await ingestOn(analysing, tenant.auth, {
      externalId: `analysed-${randomUUID()}`,
      channel: 'CHAT',
      messages: [
        { sequence: 0, senderRole: 'AGENT', content: 'Hello! How can I help you today?' },
        { sequence: 1, senderRole: 'USER', content: 'My order arrived broken and I am really upset.' },
        { sequence: 2, senderRole: 'AGENT', content: 'I am sorry! I have sent a replacement, it arrives tomorrow.' },
        { sequence: 3, senderRole: 'USER', content: 'Great, thank you so much, that solves it.' },
      ],
    });
    const client = connect(tenant.auth, analysing.url);
    const before = (await analysing.app.metrics.registry.getSingleMetric('alma_subscriptions')!.get()).values[0]?.value ?? 0;
    const updates = client.subscribe(`subscription($id: UUID!) { conversationUpdated(id: $id) { kind analysisStatus conversation { analysisStatus analyzedAt analysed { summary sentiment { label } } } } }`, { id: conversationId });
    await subscriptionsActive(before + 1, analysing);

    const completed = await analysing.graphql('mutation($id: UUID!) { completeConversation(id: $id) { id } }', { id: conversationId }, tenant.auth);
    expect(completed.errors).toBeUndefined();
    const kinds = () => updates.results.map((result) => result.data!.conversationUpdated.kind);
    while (!kinds().includes('ANALYSIS_COMPLETED')) await updates.received(updates.results.length + 1);
    expect(kinds()).toEqual(['STATUS_CHANGED', 'ANALYSIS_STARTED', 'ANALYSIS_COMPLETED']);
    const done = updates.results.at(-1)!.data!.conversationUpdated;
    expect(done.analysisStatus).toBe('COMPLETED');
    expect(done.conversation.analysisStatus).toBe('COMPLETED');
    expect(done.conversation.analyzedAt).not.toBeNull();
    expect(done.conversation.analysed.summary).toEqual(expect.any(String));
  });
});

/** A graphql-transport-ws client by hand, so that it can stop reading its socket. */
async function rawSubscriber(url: string, apiKey: string, query: string, variables: Record<string, unknown>) {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  let nexts = 0;
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { 'x-api-key': apiKey } })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string };
      if (message.type === 'connection_ack') resolve();
      if (message.type === 'next') nexts++;
    });
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
  return { socket, closed, nexts: () => nexts };
}

describe('slow consumers and checks on delivery', () => {
  let strict: TestServer;
  beforeAll(async () => {
    // A small buffer bound, and no periodic check within the test: what closes sockets here is delivery.
    strict = await startTestServer({ SUBSCRIPTION_MAX_BUFFERED_BYTES: '1024', SUBSCRIPTION_REVALIDATE_SECONDS: '3600', SUBSCRIPTIONS_PER_CONNECTION: '1' });
  });
  afterAll(async () => {
    await strict.stop();
  });

  const disconnects = async (reason: string) =>
    (await strict.app.metrics.registry.getSingleMetric('alma_subscription_disconnects_total')!.get()).values.find((value) => value.labels.reason === reason)?.value ?? 0;

  it('closes a socket that stops reading with 1013 once its unsent data passes the bound, instead of buffering', async () => {
    const tenant = await strict.createTenant();
    const conversationId = await ingestOn(strict, tenant.auth);
    const before = (await strict.app.metrics.registry.getSingleMetric('alma_subscriptions')!.get()).values[0]?.value ?? 0;
    const subscriber = await rawSubscriber(strict.url, tenant.apiKey, 'subscription($id: UUID!) { conversationUpdated(id: $id) { kind conversation { messages(first: 100) { edges { node { content } } } } } }', {
      id: conversationId,
    });
    await subscriptionsActive(before + 1, strict);
    const slowBefore = await disconnects('slow_consumer');
    subscriber.socket.pause();
    // Every append grows the next event (all messages' content): the socket's buffers fill up.
    let sequence = 1;
    while ((await disconnects('slow_consumer')) === slowBefore) {
      if (sequence > 100) throw new Error('no slow-consumer disconnect after 100 large events');
      await appendOn(strict, tenant.auth, conversationId, sequence, `${sequence} ${'x'.repeat(50_000)}`);
      sequence++;
    }
    subscriber.socket.resume();
    expect(await subscriber.closed).toEqual({ code: 1013, reason: 'Slow consumer: more than 1024 bytes waiting to be sent' });
    // It was delivered some events before, and the rest were dropped rather than kept.
    expect(subscriber.nexts()).toBeGreaterThan(0);
    expect(subscriber.nexts()).toBeLessThan(sequence - 1);
  });

  it('checks the credential before each event: a revoked key gets no more events and 4403', async () => {
    const tenant = await strict.createTenant();
    const admin = { token: strict.adminToken };
    const created = await strict.graphql<{ createApiKey: { apiKey: { id: string }; secret: string } }>(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } secret } }',
      { input: { organizationId: tenant.organizationId, name: 'live key', scopes: ['READ'] } },
      admin,
    );
    const conversationId = await ingestOn(strict, tenant.auth);
    const client = connect({ apiKey: created.data!.createApiKey.secret }, strict.url);
    const before = (await strict.app.metrics.registry.getSingleMetric('alma_subscriptions')!.get()).values[0]?.value ?? 0;
    const updates = client.subscribe(UPDATED, { id: conversationId });
    await subscriptionsActive(before + 1, strict);
    await appendOn(strict, tenant.auth, conversationId, 1, 'before the revocation');
    await updates.received(1);

    await strict.graphql('mutation($id: UUID!) { revokeApiKey(id: $id) { id } }', { id: created.data!.createApiKey.apiKey.id }, admin);
    await appendOn(strict, tenant.auth, conversationId, 2, 'after the revocation');
    expect(await client.closed).toEqual({ code: 4403, reason: 'Credential no longer valid: The API key is unknown, revoked or expired, or its organization is inactive' });
    expect(updates.results).toHaveLength(1);
  });

  it('holds a connection to SUBSCRIPTIONS_PER_CONNECTION subscriptions at once', async () => {
    const tenant = await strict.createTenant(['READ']);
    const client = connect(tenant.auth, strict.url);
    const before = (await strict.app.metrics.registry.getSingleMetric('alma_subscriptions')!.get()).values[0]?.value ?? 0;
    client.subscribe('subscription { conversationActivity { kind } }');
    await subscriptionsActive(before + 1, strict);
    const second = client.subscribe('subscription { conversationActivity { kind } }');
    expect(await second.ended).toMatchObject({ error: [{ message: 'A connection may hold at most 1 subscriptions (SUBSCRIPTIONS_PER_CONNECTION)', extensions: { code: 'BAD_USER_INPUT' } }] });
  });
});

