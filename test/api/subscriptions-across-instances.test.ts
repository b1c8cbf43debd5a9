import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, type RunningProcess } from '../support/child-process.js';
import { connectSubscriptions, type TestSubscriptionClient } from '../support/subscription-client.js';
import { testDatabaseKind } from '../support/test-database.js';
import { graphqlClient, startTestServer, TEST_JWT_SECRET, type TestServer } from '../support/test-server.js';

/** Instance A: this process's server. Instance B: a separate server process on the same PostgreSQL database. */
describe.runIf(testDatabaseKind === 'postgres')('subscriptions across server instances (LISTEN/NOTIFY)', () => {
  let instanceA: TestServer;
  let instanceB: RunningProcess;
  let urlB: string;
  const clients: TestSubscriptionClient[] = [];

  beforeAll(async () => {
    instanceA = await startTestServer();
    instanceB = startProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      DATABASE_URL: process.env.DATABASE_URL,
      MIGRATE_ON_START: 'false',
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      JWT_SECRET: TEST_JWT_SECRET,
      WORKER_ENABLED: 'false',
    });
    const line = await instanceB.waitForLog((entry) => typeof entry.port === 'number' && String(entry.msg).includes('listening'));
    urlB = `http://127.0.0.1:${line.port as number}`;
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    if (instanceB && instanceB.child.exitCode === null) {
      instanceB.child.kill('SIGTERM');
      await instanceB.exited;
    }
    await instanceA?.stop();
  });

  /** B's active subscriptions, from its /metrics. */
  async function subscriptionsOnB(): Promise<number> {
    const text = await (await fetch(`${urlB}/metrics`)).text();
    return Number(/^alma_subscriptions (\d+)/m.exec(text)?.[1] ?? 0);
  }

  it('a message appended through instance A reaches a subscriber on instance B, and only in its organization', async () => {
    const tenant = await instanceA.createTenant();
    const other = await instanceA.createTenant();
    const ingest = async (auth: typeof tenant.auth, externalId: string) => {
      const response = await instanceA.graphql<{ ingestConversation: { conversation: { id: string } } }>(
        'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { conversation { id } } }',
        { input: { externalId, channel: 'VOICE', status: 'ONGOING', messages: [{ sequence: 0, senderRole: 'AGENT', content: 'Hello from instance A' }] } },
        auth,
      );
      return response.data!.ingestConversation.conversation.id;
    };
    const conversationId = await ingest(tenant.auth, 'across-1');
    const otherConversationId = await ingest(other.auth, 'across-2');

    const onB = connectSubscriptions(urlB, tenant.auth);
    clients.push(onB);
    // B's own HTTP API sees the same data.
    expect((await graphqlClient(urlB).graphql('query($id: UUID!) { conversation(id: $id) { id } }', { id: conversationId }, tenant.auth)).data).toEqual({ conversation: { id: conversationId } });
    const updates = onB.subscribe('subscription($id: UUID!) { conversationUpdated(id: $id) { kind conversation { messages { totalCount edges { node { sequence content } } } } } }', { id: conversationId });
    const activity = onB.subscribe('subscription { conversationActivity(filter: { kinds: [MESSAGES_APPENDED] }) { conversationId } }');
    while ((await subscriptionsOnB()) < 2) await new Promise((resolve) => setTimeout(resolve, 20));

    // Another organization's append first: it must never reach this subscriber.
    await instanceA.graphql(
      'mutation($id: UUID!, $messages: [MessageInput!]!) { appendMessages(conversationId: $id, messages: $messages) { id } }',
      { id: otherConversationId, messages: [{ sequence: 1, senderRole: 'USER', content: 'not yours' }] },
      other.auth,
    );
    const appended = await instanceA.graphql(
      'mutation($id: UUID!, $messages: [MessageInput!]!) { appendMessages(conversationId: $id, messages: $messages) { id } }',
      { id: conversationId, messages: [{ sequence: 1, senderRole: 'USER', content: 'Appended through A' }] },
      tenant.auth,
    );
    expect(appended.errors).toBeUndefined();

    const [update] = await updates.received(1);
    expect(update).toEqual({
      data: {
        conversationUpdated: {
          kind: 'MESSAGES_APPENDED',
          conversation: {
            messages: {
              totalCount: 2,
              edges: [
                { node: { sequence: 0, content: 'Hello from instance A' } },
                { node: { sequence: 1, content: 'Appended through A' } },
              ],
            },
          },
        },
      },
    });
    const [first] = await activity.received(1);
    expect(first).toEqual({ data: { conversationActivity: { conversationId } } });
    expect(activity.results).toHaveLength(1);
  });
});
