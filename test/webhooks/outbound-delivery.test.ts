import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createWorker } from '../../src/jobs/workers.js';
import { Worker } from '../../src/jobs/worker.js';
import { analysisJobHandler } from '../../src/analysis/analysis-pipeline.js';
import { ANALYZE_CONVERSATION } from '../../src/analysis/analysis-queue.js';
import { createAnalysisProvider } from '../../src/analysis/provider-factory.js';
import { checkWebhookUrl } from '../../src/webhooks/outbound/url-guard.js';
import { webhookDeliveryHandler } from '../../src/webhooks/outbound/webhook-delivery.handler.js';
import { DELIVER_WEBHOOK } from '../../src/webhooks/outbound/webhook-outbox.js';
import { silentLogger } from '../support/silent-logger.js';
import { startTestServer, TEST_JWT_SECRET, type Auth, type TestServer } from '../support/test-server.js';
import { runUntilIdle, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

let server: TestServer;
const receivers: WebhookReceiver[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});
afterAll(async () => {
  await server?.stop();
});

function workerFor(env: Record<string, string> = {}) {
  // A generous per-attempt timeout: on a loaded machine a 2 s one expired before the local
  // receiver answered, and the delivery then took two attempts.
  const config = loadConfig({ JWT_SECRET: TEST_JWT_SECRET, NODE_ENV: 'test', ANALYSIS_PROVIDER: 'local', JOB_LEASE_MS: '5000', WEBHOOK_TIMEOUT_MS: '30000', ...env });
  return createWorker(config, server.app.database, silentLogger, undefined, { backoffBaseMs: 10, backoffMaxMs: 100 });
}

async function receiver(options: { port?: number } = {}) {
  const started = await startWebhookReceiver(options);
  receivers.push(started);
  return started;
}

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id url eventTypes status consecutiveFailures } } }`;
const DELIVERIES = `query($id: UUID!) { webhookDeliveries(endpointId: $id, first: 100) { totalCount edges { node {
  id webhookId endpointId eventType status attemptCount deliveredAt payload
  attempts { attemptNumber statusCode durationMs error responseBody attemptedAt }
} } } }`;
const ENDPOINTS = `{ webhookEndpoints { id url status disabledReason consecutiveFailures } }`;

async function createEndpoint(auth: Auth, url: string, eventTypes = ['conversation.completed', 'conversation.analysisCompleted']) {
  const result = await server.graphql(CREATE, { input: { url, eventTypes, description: 'test receiver' } }, auth);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return { id: result.data!.createWebhookEndpoint.endpoint.id as string, secret: result.data!.createWebhookEndpoint.secret as string };
}

async function deliveriesOf(auth: Auth, endpointId: string): Promise<any[]> {
  const result = await server.graphql(DELIVERIES, { id: endpointId }, auth);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.webhookDeliveries.edges.map((edge: any) => edge.node);
}

function call(externalId: string, completed = true) {
  const at = (seconds: number) => new Date(Date.UTC(2026, 10, 10, 14, 0, seconds)).toISOString();
  return {
    externalId,
    channel: 'VOICE',
    direction: 'OUTBOUND',
    startedAt: at(0),
    ...(completed ? { endedAt: at(60) } : {}),
    metaData: { campaign: 'spring' },
    agents: [{ externalId: 'leo', name: 'Leo' }],
    contacts: [{ externalId: 'maria' }],
    messages: [
      { sequence: 0, senderRole: 'AGENT', agentExternalId: 'leo', content: 'Hi, this is Leo from Acme. Are you interested in our premium plan?', sentAt: at(0) },
      { sequence: 1, senderRole: 'USER', contactExternalId: 'maria', content: 'Yes, I am interested. My name is Maria.', sentAt: at(10) },
      { sequence: 2, senderRole: 'AGENT', agentExternalId: 'leo', content: 'Great! It costs $99 per month.', sentAt: at(14) },
      { sequence: 3, senderRole: 'USER', contactExternalId: 'maria', content: 'Perfect, thank you so much.', sentAt: at(20) },
    ],
  };
}

async function ingest(auth: Auth, externalId: string, completed = true): Promise<string> {
  const result = await server.graphql(
    'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { conversation { id status } } }',
    { input: call(externalId, completed) },
    auth,
  );
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.ingestConversation.conversation.id;
}

/**
 * Delivered: the last attempt got the receiver's 204. Earlier attempts, if any, timed out — the
 * machine was too busy to answer within WEBHOOK_TIMEOUT_MS — which at-least-once delivery allows
 * (attempts before `attemptsBefore` belong to an earlier delivery of the same webhook).
 */
function expectDeliveredByLastAttempt(delivery: any, attemptsBefore = 0) {
  expect(delivery.status).toBe('SUCCEEDED');
  expect(delivery.attemptCount).toBe(delivery.attempts.length);
  expect(delivery.attempts.at(-1)).toMatchObject({ attemptNumber: delivery.attemptCount, statusCode: 204, error: null });
  for (const earlier of delivery.attempts.slice(attemptsBefore, -1)) expect(earlier).toMatchObject({ statusCode: null, error: 'timed out' });
}

describe('outbound webhooks: delivery', () => {
  it('delivers conversation.completed and conversation.analysisCompleted, signed per Standard Webhooks', async () => {
    const tenant = await server.createTenant();
    const hook = await receiver();
    const endpoint = await createEndpoint(tenant.auth, hook.url);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(endpoint.secret.slice(6), 'base64')).toHaveLength(24);
    hook.setSecret(endpoint.secret);
    await server.graphql(
      'mutation($input: SetAnalysisConfigInput!) { setAnalysisConfig(input: $input) { version } }',
      { input: { dispositionMetrics: [{ identifier: 'user_interested', prompt: 'Was the user interested? yes, no, or unclear', type: 'ENUM', choices: ['yes', 'no', 'unclear'] }] } },
      tenant.auth,
    );
    const conversationId = await ingest(tenant.auth, 'webhook-1');
    await runUntilIdle(workerFor(), server.app.database, tenant.organizationId);

    // Delivery is at least once: an attempt that timed out may still have arrived, so count deliveries by id.
    const uniqueReceived = () => [...new Map(hook.received.map((webhook) => [webhook.id, webhook])).values()];
    expect(uniqueReceived().map((webhook) => webhook.payload.type).sort()).toEqual(['conversation.analysisCompleted', 'conversation.completed']);
    for (const webhook of hook.received) {
      expect(webhook.signatureValid, webhook.signature).toBe(true);
      expect(webhook.timestampFresh).toBe(true);
      expect(webhook.payload.timestamp).toEqual(expect.any(String));
    }
    const completed = hook.received.find((webhook) => webhook.payload.type === 'conversation.completed')!;
    expect(completed.payload.data).toMatchObject({
      id: conversationId,
      externalId: 'webhook-1',
      channel: 'VOICE',
      direction: 'OUTBOUND',
      status: 'COMPLETED',
      origin: 'api',
      durationSeconds: 60,
      startedAt: '2026-11-10T14:00:00.000Z',
      endedAt: '2026-11-10T14:01:00.000Z',
      metaData: { campaign: 'spring' },
    });
    const analysed = hook.received.find((webhook) => webhook.payload.type === 'conversation.analysisCompleted')!;
    expect(analysed.payload.data).toMatchObject({ id: conversationId, externalId: 'webhook-1', configVersion: 1, provider: 'local' });
    const analytics = analysed.payload.data.postCallAnalytics;
    expect(analytics.summary).toEqual(expect.any(String));
    expect(analytics.sentiment).toMatchObject({ label: expect.any(String), score: expect.any(Number) });
    expect(analytics.dispositionMetrics).toEqual([
      expect.objectContaining({ identifier: 'user_interested', value: 'yes', confidence: expect.any(Number), reasoning: expect.any(String) }),
    ]);
    expect(Array.isArray(analytics.events)).toBe(true);

    const deliveries = await deliveriesOf(tenant.auth, endpoint.id);
    expect(deliveries).toHaveLength(2);
    for (const delivery of deliveries) {
      expect(delivery).toMatchObject({ status: 'SUCCEEDED', endpointId: endpoint.id });
      expect(delivery.webhookId).toBe(delivery.id);
      expect(delivery.deliveredAt).not.toBeNull();
      expectDeliveredByLastAttempt(delivery);
      const received = hook.received.find((webhook) => webhook.id === delivery.id)!;
      expect(received.payload).toEqual(delivery.payload);
    }

    // completeConversation is the other way a conversation becomes COMPLETED.
    const ongoing = await ingest(tenant.auth, 'webhook-2', false);
    await runUntilIdle(workerFor(), server.app.database, tenant.organizationId);
    expect(uniqueReceived()).toHaveLength(2); // an ongoing conversation emits nothing
    const done = await server.graphql('mutation($id: UUID!) { completeConversation(id: $id) { status } }', { id: ongoing }, tenant.auth);
    expect(done.errors).toBeUndefined();
    await server.graphql('mutation($id: UUID!) { completeConversation(id: $id) { status } }', { id: ongoing }, tenant.auth); // twice: no second event
    await runUntilIdle(workerFor(), server.app.database, tenant.organizationId);
    const forOngoing = uniqueReceived().filter((webhook) => webhook.payload.data.id === ongoing);
    expect(forOngoing.map((webhook) => webhook.payload.type).sort()).toEqual(['conversation.analysisCompleted', 'conversation.completed']);
    expect(forOngoing.every((webhook) => webhook.signatureValid)).toBe(true);
  });

  it('retries a failing receiver with backoff (Retry-After honoured) until delivered, with the same webhook-id', async () => {
    const tenant = await server.createTenant();
    const hook = await receiver();
    const endpoint = await createEndpoint(tenant.auth, hook.url, ['conversation.completed']);
    hook.setSecret(endpoint.secret);
    const answers = [{ status: 500, body: 'boom '.repeat(500) }, { status: 429, headers: { 'retry-after': '1' } }, { status: 200, body: 'ok' }];
    hook.respond = () => answers.shift() ?? { status: 200 };
    await ingest(tenant.auth, 'retry-1');
    await runUntilIdle(workerFor(), server.app.database, tenant.organizationId);

    expect(hook.received).toHaveLength(3);
    expect(new Set(hook.received.map((webhook) => webhook.id)).size).toBe(1);
    expect(hook.received.every((webhook) => webhook.signatureValid && webhook.timestampFresh)).toBe(true);
    expect(new Set(hook.received.map((webhook) => webhook.body)).size).toBe(1);
    const [delivery] = await deliveriesOf(tenant.auth, endpoint.id);
    expect(delivery).toMatchObject({ id: hook.received[0]!.id, status: 'SUCCEEDED', attemptCount: 3 });
    expect(delivery.attempts.map((attempt: any) => [attempt.attemptNumber, attempt.statusCode])).toEqual([
      [1, 500],
      [2, 429],
      [3, 200],
    ]);
    expect(Buffer.byteLength(delivery.attempts[0].responseBody)).toBeLessThanOrEqual(1024);
    expect(delivery.attempts[0].responseBody).toMatch(/^boom/);
    expect(delivery.attempts[2].responseBody).toBe('ok');
    const waited = new Date(delivery.attempts[2].attemptedAt).getTime() - new Date(delivery.attempts[1].attemptedAt).getTime();
    expect(waited).toBeGreaterThanOrEqual(950); // Retry-After: 1, not the 10 ms test backoff
  });

  it('retries while the receiver is down (connection refused) and delivers once it is up', async () => {
    const tenant = await server.createTenant();
    const down = await receiver();
    const { port, url } = down;
    await down.close();
    const endpoint = await createEndpoint(tenant.auth, url, ['conversation.completed']);
    await ingest(tenant.auth, 'down-1');
    await ingest(tenant.auth, 'down-2');
    const worker = workerFor({ WEBHOOK_MAX_ATTEMPTS: '20' });
    const scope = server.app.database.forOrganization(tenant.organizationId);
    for (let tries = 0; ; tries++) {
      await worker.runOnce();
      const attempts = await scope.db.webhookDeliveryAttempt.count();
      if (attempts >= 4) break;
      expect(tries).toBeLessThan(500);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const up = await receiver({ port });
    up.setSecret(endpoint.secret);
    await runUntilIdle(worker, server.app.database, tenant.organizationId);

    expect(up.received).toHaveLength(2);
    expect(up.received.every((webhook) => webhook.signatureValid)).toBe(true);
    const deliveries = await deliveriesOf(tenant.auth, endpoint.id);
    expect(deliveries.map((delivery) => delivery.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(new Set(up.received.map((webhook) => webhook.id))).toEqual(new Set(deliveries.map((delivery) => delivery.id)));
    for (const delivery of deliveries) {
      expect(delivery.attemptCount).toBe(delivery.attempts.length);
      expect(delivery.attempts.at(-1)).toMatchObject({ statusCode: 204, error: null });
      const failed = delivery.attempts.slice(0, -1);
      expect(failed.length).toBeGreaterThanOrEqual(1);
      expect(failed.every((attempt: any) => attempt.statusCode === null && /ECONNREFUSED|fetch failed/.test(attempt.error))).toBe(true);
    }
    const endpoints = await server.graphql(ENDPOINTS, {}, tenant.auth);
    expect(endpoints.data!.webhookEndpoints[0]).toMatchObject({ status: 'ACTIVE', consecutiveFailures: 0 });
  });

  it('disables an endpoint whose deliveries keep failing; later events create no deliveries for it', async () => {
    const tenant = await server.createTenant();
    const broken = await receiver();
    broken.respond = () => ({ status: 500, body: 'internal error' });
    const healthy = await receiver();
    const bad = await createEndpoint(tenant.auth, broken.url, ['conversation.completed']);
    const good = await createEndpoint(tenant.auth, healthy.url, ['conversation.completed']);
    healthy.setSecret(good.secret);
    const worker = workerFor({ WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_DISABLE_AFTER_FAILURES: '2' });

    await ingest(tenant.auth, 'fail-1');
    await runUntilIdle(worker, server.app.database, tenant.organizationId);
    let endpoints = (await server.graphql(ENDPOINTS, {}, tenant.auth)).data!.webhookEndpoints;
    expect(endpoints.find((endpoint: any) => endpoint.id === bad.id)).toMatchObject({ status: 'ACTIVE', consecutiveFailures: 1, disabledReason: null });

    await ingest(tenant.auth, 'fail-2');
    await runUntilIdle(worker, server.app.database, tenant.organizationId);
    endpoints = (await server.graphql(ENDPOINTS, {}, tenant.auth)).data!.webhookEndpoints;
    expect(endpoints.find((endpoint: any) => endpoint.id === bad.id)).toMatchObject({
      status: 'DISABLED',
      consecutiveFailures: 2,
      disabledReason: '2 consecutive deliveries failed; last: HTTP 500',
    });
    expect(endpoints.find((endpoint: any) => endpoint.id === good.id)).toMatchObject({ status: 'ACTIVE', consecutiveFailures: 0 });
    expect(broken.received).toHaveLength(6); // 2 deliveries × 3 attempts
    const failed = await deliveriesOf(tenant.auth, bad.id);
    expect(failed.map((delivery) => [delivery.status, delivery.attemptCount])).toEqual([
      ['FAILED', 3],
      ['FAILED', 3],
    ]);
    expect(failed[0].attempts.map((attempt: any) => attempt.statusCode)).toEqual([500, 500, 500]);

    await ingest(tenant.auth, 'fail-3');
    await runUntilIdle(worker, server.app.database, tenant.organizationId);
    expect(await deliveriesOf(tenant.auth, bad.id)).toHaveLength(2);
    expect(broken.received).toHaveLength(6);
    expect(healthy.received).toHaveLength(3);

    // Redelivering to a disabled endpoint is refused.
    const redeliver = await server.graphql('mutation($id: UUID!) { redeliverWebhook(deliveryId: $id) { id } }', { id: failed[0].id }, tenant.auth);
    expect(redeliver.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('redeliverWebhook sends the same delivery again with the same webhook-id', async () => {
    const tenant = await server.createTenant();
    const hook = await receiver();
    const endpoint = await createEndpoint(tenant.auth, hook.url, ['conversation.completed']);
    hook.setSecret(endpoint.secret);
    await ingest(tenant.auth, 'again-1');
    await runUntilIdle(workerFor(), server.app.database, tenant.organizationId);
    const [first] = await deliveriesOf(tenant.auth, endpoint.id);
    expectDeliveredByLastAttempt(first);
    const receivedBefore = hook.received.length;

    const queued = await server.graphql('mutation($id: UUID!) { redeliverWebhook(deliveryId: $id) { id webhookId status attemptCount } }', { id: first.id }, tenant.auth);
    expect(queued.errors).toBeUndefined();
    expect(queued.data!.redeliverWebhook).toMatchObject({ id: first.id, webhookId: first.id, status: 'PENDING', attemptCount: first.attemptCount });
    await runUntilIdle(workerFor(), server.app.database, tenant.organizationId);

    expect(hook.received.length).toBeGreaterThan(receivedBefore);
    expect(new Set(hook.received.map((webhook) => webhook.id))).toEqual(new Set([first.id]));
    expect(new Set(hook.received.map((webhook) => webhook.body)).size).toBe(1);
    expect(hook.received.every((webhook) => webhook.signatureValid)).toBe(true);
    const [after] = await deliveriesOf(tenant.auth, endpoint.id);
    expectDeliveredByLastAttempt(after, first.attemptCount);
    expect(after.attemptCount).toBeGreaterThan(first.attemptCount);
    expect(after.attempts.map((attempt: any) => attempt.attemptNumber)).toEqual(Array.from({ length: after.attemptCount }, (_, index) => index + 1));
  });

  it('deleteWebhookEndpoint stops pending deliveries and creates no new ones', async () => {
    const tenant = await server.createTenant();
    const hook = await receiver();
    const endpoint = await createEndpoint(tenant.auth, hook.url, ['conversation.completed']);
    await ingest(tenant.auth, 'deleted-1');
    const deleted = await server.graphql('mutation($id: UUID!) { deleteWebhookEndpoint(id: $id) { id } }', { id: endpoint.id }, tenant.auth);
    expect(deleted.errors).toBeUndefined();
    await runUntilIdle(workerFor(), server.app.database, tenant.organizationId);
    await ingest(tenant.auth, 'deleted-2');
    await runUntilIdle(workerFor(), server.app.database, tenant.organizationId);

    expect(hook.received).toHaveLength(0);
    const deliveries = await deliveriesOf(tenant.auth, endpoint.id); // history stays readable
    expect(deliveries.map((delivery) => [delivery.status, delivery.attemptCount])).toEqual([['FAILED', 0]]);
    expect((await server.graphql(ENDPOINTS, {}, tenant.auth)).data!.webhookEndpoints).toEqual([]);
    const again = await server.graphql('mutation($id: UUID!) { deleteWebhookEndpoint(id: $id) { id } }', { id: endpoint.id }, tenant.auth);
    expect(again.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const redeliver = await server.graphql('mutation($id: UUID!) { redeliverWebhook(deliveryId: $id) { id } }', { id: deliveries[0].id }, tenant.auth);
    expect(redeliver.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('checks the URL again before each delivery: a private address is refused when private URLs are not allowed', async () => {
    const tenant = await server.createTenant();
    const hook = await receiver();
    const endpoint = await createEndpoint(tenant.auth, hook.url, ['conversation.completed']); // allowed at creation (test env)
    await ingest(tenant.auth, 'rebind-1');
    await runUntilIdle(workerFor({ WEBHOOK_ALLOW_PRIVATE_URLS: 'false', WEBHOOK_MAX_ATTEMPTS: '2' }), server.app.database, tenant.organizationId);
    expect(hook.received).toHaveLength(0);
    const [delivery] = await deliveriesOf(tenant.auth, endpoint.id);
    expect(delivery).toMatchObject({ status: 'FAILED', attemptCount: 2 });
    expect(delivery.attempts[0]).toMatchObject({ statusCode: null, error: expect.stringContaining('127.0.0.1') });
  });

  /** A worker that only delivers webhooks, resolving names with `resolve` (the socket's own lookup). */
  function deliveryWorker(resolve: (hostname: string) => Promise<string[]>, env: Record<string, string>) {
    const config = loadConfig({ JWT_SECRET: TEST_JWT_SECRET, NODE_ENV: 'test', ANALYSIS_PROVIDER: 'local', WEBHOOK_TIMEOUT_MS: '30000', ...env });
    const { database } = server.app;
    const handlers = {
      [ANALYZE_CONVERSATION]: analysisJobHandler(database, createAnalysisProvider(config.analysis), silentLogger),
      [DELIVER_WEBHOOK]: webhookDeliveryHandler(database, config.webhooks, silentLogger, { resolve }),
    };
    return new Worker(database, silentLogger, handlers, { backoffBaseMs: 10, backoffMaxMs: 100 });
  }

  it('connects to the address its own lookup returned: a name only the guard can resolve is delivered', async () => {
    const tenant = await server.createTenant();
    const hook = await receiver();
    const asked: string[] = [];
    const endpoint = await createEndpoint(tenant.auth, `http://hooks.pinned.test:${hook.port}/in`, ['conversation.completed']);
    hook.setSecret(endpoint.secret);
    await ingest(tenant.auth, 'pinned-1');
    const resolve = async (hostname: string) => (asked.push(hostname), ['127.0.0.1']);
    await runUntilIdle(deliveryWorker(resolve, { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' }), server.app.database, tenant.organizationId);
    expect(hook.received.map((webhook) => webhook.payload.type)).toEqual(['conversation.completed']);
    expect(hook.received[0]!.signatureValid).toBe(true);
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked)).toEqual(new Set(['hooks.pinned.test']));
    expectDeliveredByLastAttempt((await deliveriesOf(tenant.auth, endpoint.id))[0]);
  });

  it('refuses DNS rebinding: the name checked as public at creation resolves to loopback at delivery, and nothing is sent', async () => {
    const tenant = await server.createTenant();
    const hook = await receiver();
    const url = `http://hooks.rebind.test:${hook.port}/in`;
    const answers = [['93.184.215.14'], ['127.0.0.1'], ['127.0.0.1']];
    const resolve = async () => answers.shift() ?? ['127.0.0.1'];
    // The creation-time check (as production runs it) sees the public answer…
    await expect(checkWebhookUrl(url, { allowPrivateUrls: false, resolve })).resolves.toBeInstanceOf(URL);
    const endpoint = await createEndpoint(tenant.auth, url, ['conversation.completed']);
    await ingest(tenant.auth, 'rebind-2');
    // …and the connection's own lookup sees loopback, and refuses it.
    await runUntilIdle(deliveryWorker(resolve, { WEBHOOK_ALLOW_PRIVATE_URLS: 'false', WEBHOOK_MAX_ATTEMPTS: '2' }), server.app.database, tenant.organizationId);
    expect(hook.received).toHaveLength(0);
    const [delivery] = await deliveriesOf(tenant.auth, endpoint.id);
    expect(delivery).toMatchObject({ status: 'FAILED', attemptCount: 2 });
    for (const attempt of delivery.attempts) {
      expect(attempt).toMatchObject({ statusCode: null, error: expect.stringContaining('resolves to a private, loopback or link-local address (127.0.0.1)') });
    }
  });
});
