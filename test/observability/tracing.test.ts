import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createWorker } from '../../src/jobs/workers.js';
import { silentLogger } from '../support/silent-logger.js';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../support/test-server.js';
import { runUntilIdle, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

// Tracing is process-global in OpenTelemetry: this file's one server registers the provider.
const exporter = new InMemorySpanExporter();
let server: TestServer;
let hook: WebhookReceiver;
beforeAll(async () => {
  server = await startTestServer({}, {}, { spanExporter: exporter });
  hook = await startWebhookReceiver();
});
afterAll(async () => {
  await hook?.close();
  await server?.stop();
});

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 10, 14, 0, seconds)).toISOString();
const spans = () => exporter.getFinishedSpans();
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

async function waitForSpan(match: (span: ReadableSpan) => boolean): Promise<ReadableSpan> {
  for (let waited = 0; waited < 10_000; waited += 10) {
    const found = spans().find(match);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('span not found');
}

describe('OpenTelemetry spans', () => {
  it("continue the caller's traceparent: HTTP server span > GraphQL operation span > SQL spans", async () => {
    const tenant = await server.createTenant();
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const callerSpan = 'b7ad6b7169203331';
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': tenant.apiKey, traceparent: `00-${traceId}-${callerSpan}-01` },
      body: JSON.stringify({ query: 'query Traced { conversations(first: 1) { totalCount } }' }),
    });
    expect(response.status).toBe(200);
    const http = await waitForSpan((span) => span.name === 'POST /graphql' && span.spanContext().traceId === traceId);
    expect(parentOf(http)).toBe(callerSpan);
    expect(http.attributes['http.response.status_code']).toBe(200);
    expect(http.attributes['alma.organization_id']).toBe(tenant.organizationId);
    const operation = spans().find((span) => span.name === 'query Traced')!;
    expect(operation).toBeDefined();
    expect(operation.spanContext().traceId).toBe(traceId);
    expect(parentOf(operation)).toBe(http.spanContext().spanId);
    expect(operation.attributes['graphql.operation.name']).toBe('Traced');
    const statements = spans().filter((span) => span.spanContext().traceId === traceId && span.attributes['db.system.name'] === 'postgresql');
    expect(statements.length).toBeGreaterThan(0);
    const inTrace = new Map(spans().filter((span) => span.spanContext().traceId === traceId).map((span) => [span.spanContext().spanId, span]));
    const descendsFrom = (span: ReadableSpan, root: ReadableSpan) => {
      let ancestor: ReadableSpan | undefined = span;
      while (ancestor && ancestor !== root) ancestor = inTrace.get(parentOf(ancestor) ?? '');
      return ancestor === root;
    };
    // The credential check runs under the HTTP span, the operation's reads under the operation's.
    expect(statements.filter((statement) => descendsFrom(statement, operation)).length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(descendsFrom(statement, http)).toBe(true);
      expect(statement.attributes['db.query.text']).toEqual(expect.any(String));
      expect(statement.attributes['db.query.text']).not.toContain(tenant.apiKey);
    }
  });

  it('give each job a span, and outbound webhooks carry its traceparent', async () => {
    const tenant = await server.createTenant();
    const endpoint = await server.graphql(
      'mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }',
      { input: { url: hook.url, eventTypes: ['conversation.completed'] } },
      tenant.auth,
    );
    expect(endpoint.errors).toBeUndefined();
    const ingested = await server.graphql(
      'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { created } }',
      {
        input: {
          externalId: 'traced-1',
          channel: 'VOICE',
          startedAt: at(0),
          endedAt: at(30),
          messages: [{ sequence: 0, senderRole: 'USER', content: 'Hello there, thanks.', sentAt: at(1) }],
        },
      },
      tenant.auth,
    );
    expect(ingested.errors).toBeUndefined();
    const config = loadConfig({ JWT_SECRET: TEST_JWT_SECRET, NODE_ENV: 'test', ANALYSIS_PROVIDER: 'local', ANALYSIS_THREADS: '0', WEBHOOK_TIMEOUT_MS: '30000' });
    await runUntilIdle(createWorker(config, server.app.database, silentLogger, undefined, { organizationIds: [tenant.organizationId] }), server.app.database, tenant.organizationId);
    expect(hook.received.length).toBeGreaterThanOrEqual(1);
    const traceparent = String(hook.received.at(-1)!.headers.traceparent);
    const [, traceId, spanId] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(traceparent) ?? [];
    const job = spans().find((span) => span.name === 'job deliver_webhook' && span.spanContext().traceId === traceId)!;
    expect(job).toBeDefined();
    expect(job.spanContext().spanId).toBe(spanId);
    expect(job.attributes['alma.organization_id']).toBe(tenant.organizationId);
    expect(spans().some((span) => span.name === 'analyze local' && span.attributes['alma.analysis.provider'] === 'local')).toBe(true);
  });
});
