import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createWorker } from '../../src/jobs/workers.js';
import { createLogger } from '../../src/logging/logger.js';
import { silentLogger } from '../support/silent-logger.js';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../support/test-server.js';
import { runUntilIdle, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/** Log lines the server wrote, parsed. */
const lines: Array<Record<string, any>> = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
    done();
  },
});

let server: TestServer;
let hook: WebhookReceiver;
beforeAll(async () => {
  server = await startTestServer({}, {}, { logger: createLogger('info', sink) });
  hook = await startWebhookReceiver();
});
afterAll(async () => {
  await hook?.close();
  await server?.stop();
});

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 10, 14, 0, seconds)).toISOString();
const CALL = {
  channel: 'VOICE',
  startedAt: at(0),
  endedAt: at(60),
  agents: [{ externalId: 'leo', name: 'Leo' }],
  messages: [
    { sequence: 0, senderRole: 'AGENT', agentExternalId: 'leo', content: 'Hi, this is Leo from Acme. Can I help?', sentAt: at(0) },
    { sequence: 1, senderRole: 'USER', content: 'Yes, I want to cancel my order, thank you.', sentAt: at(10) },
  ],
};

async function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

async function scrape(headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/metrics`, { headers });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

/** The value of one sample line of the exposition (`name{labels} value`), or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries([...match[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) return Number(match[3]);
  }
  return undefined;
}

/** Waits until the access-log line of the request with this id was written (the line follows the response). */
async function accessLine(requestId: string): Promise<Record<string, any>> {
  for (let waited = 0; waited < 10_000; waited += 10) {
    const line = lines.find((each) => each.msg === 'request' && each.requestId === requestId);
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no access-log line for ${requestId}`);
}

describe('GET /metrics', () => {
  it('counts HTTP requests by route and status, GraphQL operations by name and outcome, and errors by code', async () => {
    const tenant = await server.createTenant();
    const headers = { 'x-api-key': tenant.apiKey };
    for (let i = 0; i < 3; i++) expect((await post({ query: 'query CountMe { conversations(first: 1) { totalCount } }' }, headers)).status).toBe(200);
    expect((await post({ query: 'query Broken { conversations { nope } }' }, headers)).status).toBe(400);
    expect((await fetch(`${server.url}/no/such/path/${Math.random()}`)).status).toBe(404);

    const { status, type, text } = await scrape();
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(text, 'alma_graphql_operation_duration_seconds_count', { operation: 'CountMe', type: 'query', outcome: 'ok' })).toBe(3);
    expect(sample(text, 'alma_graphql_errors_total', { operation: 'Broken', code: 'BAD_USER_INPUT' })).toBe(1);
    expect(sample(text, 'alma_graphql_operation_duration_seconds_count', { operation: 'Broken', type: 'query', outcome: 'error' })).toBe(1);
    expect(sample(text, 'alma_http_request_duration_seconds_count', { method: 'POST', route: '/graphql', status: '200' })).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'alma_http_request_duration_seconds_count', { method: 'POST', route: '/graphql', status: '400' })).toBeGreaterThanOrEqual(1);
    // Unmatched paths share one label value, so a scan cannot grow the label set.
    expect(sample(text, 'alma_http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain('/no/such/path');
    expect(text).toContain('alma_process_resident_memory_bytes');
    if (server.app.database.kind === 'postgres') {
      const max = sample(text, 'alma_database_pool_connections', { state: 'max' })!;
      expect(max).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'alma_database_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'alma_database_pool_connections', { state: 'total' })).toBeLessThanOrEqual(max);
    } else {
      expect(text).not.toContain('alma_database_pool_connections{');
    }
  });

  it('shows the queue by kind and status, then analysis durations and webhook deliveries once the worker ran', async () => {
    const tenant = await server.createTenant();
    const endpoint = await server.graphql(
      'mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }',
      { input: { url: hook.url, eventTypes: ['conversation.analysisCompleted'] } },
      tenant.auth,
    );
    expect(endpoint.errors).toBeUndefined();
    for (const externalId of ['m-1', 'm-2']) {
      const ingested = await server.graphql('mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { created } }', { input: { ...CALL, externalId } }, tenant.auth);
      expect(ingested.errors).toBeUndefined();
    }
    // Other test files' organizations share the PostgreSQL database: at least this tenant's two jobs.
    const queued = await scrape();
    expect(sample(queued.text, 'alma_jobs', { kind: 'analyze_conversation', status: 'QUEUED' })).toBeGreaterThanOrEqual(2);
    expect(sample(queued.text, 'alma_jobs_oldest_age_seconds', { kind: 'analyze_conversation', status: 'QUEUED' })).toBeGreaterThanOrEqual(0);

    const config = loadConfig({ JWT_SECRET: TEST_JWT_SECRET, NODE_ENV: 'test', ANALYSIS_PROVIDER: 'local', ANALYSIS_THREADS: '0', WEBHOOK_TIMEOUT_MS: '30000' });
    const worker = createWorker(config, server.app.database, silentLogger, undefined, {
      organizationIds: [tenant.organizationId],
      metrics: server.app.metrics,
    });
    await runUntilIdle(worker, server.app.database, tenant.organizationId);
    const after = await scrape();
    expect(sample(after.text, 'alma_analysis_duration_seconds_count', { provider: 'local', outcome: 'ok' })).toBe(2);
    expect(sample(after.text, 'alma_job_duration_seconds_count', { kind: 'analyze_conversation', outcome: 'completed' })).toBe(2);
    expect(sample(after.text, 'alma_webhook_deliveries_total', { outcome: 'succeeded' })).toBe(hook.received.length);
    expect(hook.received.length).toBeGreaterThanOrEqual(2);
  });

  it('is off in production without METRICS_TOKEN, and behind it when set', async () => {
    const production = { NODE_ENV: 'production', GRAPHIQL_ENABLED: 'false' };
    const off = await startTestServer(production);
    try {
      expect((await fetch(`${off.url}/metrics`)).status).toBe(404);
    } finally {
      await off.stop();
    }
    const token = 'metrics-token-of-some-length';
    const guarded = await startTestServer({ ...production, METRICS_TOKEN: token });
    try {
      const refused = await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-of-some-length' } });
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as any).error.code).toBe('UNAUTHENTICATED');
      expect((await fetch(`${guarded.url}/metrics`)).status).toBe(401);
      const allowed = await fetch(`${guarded.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toContain('alma_http_request_duration_seconds');
    } finally {
      await guarded.stop();
    }
  });
});

describe('the access log', () => {
  it('writes one line per request with route, status, duration, request id, operation, organization and trace id, and no secret', async () => {
    const tenant = await server.createTenant();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await post(
      { query: 'query LogMe($first: Int) { conversations(first: $first) { totalCount } }', variables: { first: 2 } },
      { 'x-api-key': tenant.apiKey, 'x-request-id': 'req-log-me-1', traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    );
    expect(response.status).toBe(200);
    const line = await accessLine('req-log-me-1');
    expect(line).toMatchObject({
      level: 30,
      method: 'POST',
      route: '/graphql',
      status: 200,
      requestId: 'req-log-me-1',
      operationName: 'LogMe',
      operationType: 'query',
      organizationId: tenant.organizationId,
      traceId,
    });
    expect(line.durationMs).toBeGreaterThan(0);
    expect(lines.filter((each) => each.requestId === 'req-log-me-1' && each.msg === 'request')).toHaveLength(1);

    // A refused credential is logged with its status, and the presented key appears nowhere.
    const bad = await post({ query: '{ conversations(first: 1) { totalCount } }' }, { 'x-api-key': `${tenant.apiKey}x`, 'x-request-id': 'req-log-me-2' });
    expect(bad.status).toBe(401);
    const refused = await accessLine('req-log-me-2');
    expect(refused).toMatchObject({ status: 401, route: '/graphql' });
    expect(refused.organizationId).toBeUndefined();
    const all = JSON.stringify(lines);
    expect(all).not.toContain(tenant.apiKey);
  });

  it('logs health checks and unmatched paths under a bounded route, without the query string', async () => {
    await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'req-health-1' } });
    await fetch(`${server.url}/graphql?query=%7B__typename%7D&secret=hunter2`, { headers: { 'x-request-id': 'req-get-1', 'x-api-key': 'alma_notarealkey_0123456789abcdef' } });
    await fetch(`${server.url}/wp-admin/setup.php?x=1`, { headers: { 'x-request-id': 'req-scan-1' } });
    expect(await accessLine('req-health-1')).toMatchObject({ method: 'GET', route: '/healthz', status: 200 });
    expect(await accessLine('req-get-1')).toMatchObject({ method: 'GET', route: '/graphql', status: 401 });
    expect(await accessLine('req-scan-1')).toMatchObject({ method: 'GET', route: 'unmatched', status: 404 });
    const all = JSON.stringify(lines);
    expect(all).not.toContain('hunter2');
    expect(all).not.toContain('alma_notarealkey_0123456789abcdef');
    expect(all).not.toContain('wp-admin');
  });
});
