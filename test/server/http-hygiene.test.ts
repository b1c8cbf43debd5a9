import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwtWithClaims } from '../support/jwt-claims.js';
import { rawRequest } from '../support/raw-http.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const portOf = (server: TestServer) => Number(new URL(server.url).port);

async function expectAlive(server: TestServer) {
  const health = await fetch(`${server.url}/healthz`);
  expect(health.status).toBe(200);
}

describe('requests the router cannot take', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers odd request targets with 400/404 and a code instead of crashing', async () => {
    const cases: Array<[string, number, string]> = [
      ['GET // HTTP/1.1\r\nHost: x\r\n\r\n', 404, 'NOT_FOUND'],
      ['GET http://x:99999/ HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'BAD_USER_INPUT'],
      ['GET http://[::1/ HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'BAD_USER_INPUT'],
      ['OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'BAD_USER_INPUT'],
      ['GET ftp://x/healthz HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'BAD_USER_INPUT'],
      ['CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', 400, 'BAD_USER_INPUT'],
      ['GET / HTTP/1.1\r\nHo st: x\r\n\r\n', 400, 'BAD_USER_INPUT'],
      ['BLAH\r\n\r\n', 400, 'BAD_USER_INPUT'],
      ['POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400, 'BAD_USER_INPUT'],
      [`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'BAD_USER_INPUT'],
    ];
    for (const [request, status, code] of cases) {
      const { response } = await rawRequest(portOf(server), [request]);
      expect(response?.status, request.slice(0, 40)).toBe(status);
      expect(response?.headers['content-type']).toMatch(/^application\/json/);
      expect(response?.json?.error?.code, request.slice(0, 40)).toBe(code);
      expect(typeof response?.json?.error?.message).toBe('string');
    }
    await expectAlive(server);
  });

  it('serves an absolute-form target like the origin form', async () => {
    const { response } = await rawRequest(portOf(server), ['GET http://localhost/healthz?x=1 HTTP/1.1\r\nHost: localhost\r\n\r\n']);
    expect(response?.status).toBe(200);
    expect(response?.json).toEqual({ status: 'ok' });
  });

  it('keeps idle connections open longer than a load balancer would (65 s by default)', async () => {
    const { response } = await rawRequest(portOf(server), ['GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n']);
    expect(response?.headers['keep-alive']).toBe('timeout=65');
  });

  it('puts RateLimit headers on GraphQL answers', async () => {
    const tenant = await server.createTenant();
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': tenant.apiKey },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('ratelimit-limit')).toBe('6000');
    expect(Number(response.headers.get('ratelimit-remaining'))).toBeLessThan(6000);
    expect(response.headers.get('ratelimit-policy')).toBe('6000;w=60');
  });
});

describe('slow clients with HTTP_HEADERS_TIMEOUT_MS=400, HTTP_REQUEST_TIMEOUT_MS=800', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ HTTP_HEADERS_TIMEOUT_MS: '400', HTTP_REQUEST_TIMEOUT_MS: '800', HTTP_KEEP_ALIVE_TIMEOUT_MS: '5000' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('cuts off headers sent one line at a time with 408', async () => {
    // Up to 600 lines, 100 ms apart: far longer than the timeout; the server must end it first.
    const lines = ['GET /healthz HTTP/1.1\r\n', ...Array.from({ length: 600 }, (_, index) => `X-Slow-${index}: y\r\n`)];
    const { response, closed } = await rawRequest(portOf(server), lines, { gapMs: 100, deadlineMs: 60_000 });
    expect(response?.status ?? (closed ? 'closed' : 'still open')).toBe(408);
    expect(response?.json?.error?.code).toBe('BAD_USER_INPUT');
    await expectAlive(server);
  });

  it('cuts off a body sent one byte at a time', async () => {
    const head = 'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n';
    const { response, closed } = await rawRequest(portOf(server), [head, ...Array.from({ length: 1000 }, () => ' ')], { gapMs: 100, deadlineMs: 60_000 });
    // Answered 408 before the handler read the body, or closed mid-body: either way not held open.
    expect(response?.status === 408 || (response === undefined && closed)).toBe(true);
    await expectAlive(server);
  });

  it('refuses headersTimeout above requestTimeout at boot', async () => {
    await expect(startTestServer({ HTTP_HEADERS_TIMEOUT_MS: '2000', HTTP_REQUEST_TIMEOUT_MS: '1000' })).rejects.toThrow(/HTTP_HEADERS_TIMEOUT_MS/);
  });
});

describe('failed authentications with AUTH_FAILURES_PER_MINUTE=5', () => {
  let server: TestServer;
  beforeAll(async () => {
    // One trusted proxy: X-Forwarded-For names the client, so the test can be several addresses.
    server = await startTestServer({ AUTH_FAILURES_PER_MINUTE: '5', TRUST_PROXY_HOPS: '1' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const post = (address: string, headers: Record<string, string>, path = '/graphql', body = JSON.stringify({ query: '{ viewer { kind } }' })) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address, ...headers }, body });

  it('refuses an address that keeps presenting bad keys and forged tokens, with Retry-After, even for a good key', async () => {
    const tenant = await server.createTenant();
    const address = '203.0.113.7';
    const forged = jwtWithClaims({ role: 'admin', exp: Math.floor(Date.now() / 1000) + 600, iat: Math.floor(Date.now() / 1000) }, 'a-different-secret-of-at-least-32-characters');
    const bad: Array<Record<string, string>> = [{ 'x-api-key': `alma_${'x'.repeat(43)}` }, { authorization: `Bearer ${forged}` }, { authorization: 'Bearer not-a-token' }];
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await post(address, bad[attempt % bad.length]!);
      expect(response.status, `attempt ${attempt}`).toBe(401);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    for (const headers of [...bad, { 'x-api-key': tenant.apiKey }]) {
      const refused = await post(address, headers);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const body = (await refused.json()) as any;
      expect(body.errors[0].extensions.code).toBe('RATE_LIMITED');
      expect(body.errors[0].extensions.retryAfterSeconds).toBe(Number(refused.headers.get('retry-after')));
    }
    // The Oration webhook shares the budget.
    const webhook = await post(address, { 'x-api-key': tenant.apiKey }, '/webhooks/oration', '{}');
    expect(webhook.status).toBe(429);
    expect(webhook.headers.get('retry-after')).not.toBeNull();
    expect(((await webhook.json()) as any).error.code).toBe('RATE_LIMITED');
    // Another address, and requests without credentials, are not affected.
    const other = await post('198.51.100.9', { 'x-api-key': tenant.apiKey });
    expect(other.status).toBe(200);
    expect(await other.json()).toEqual({ data: { viewer: { kind: 'API_KEY' } } });
    const anonymous = await post(address, {}, '/graphql', JSON.stringify({ query: '{ __typename }' }));
    expect(anonymous.status).toBe(200);
  });

  it('counts an IPv6 client by its /64', async () => {
    for (let host = 1; host <= 5; host++) {
      expect((await post(`2001:db8:1:2::${host}`, { 'x-api-key': `alma_${'y'.repeat(43)}` })).status).toBe(401);
    }
    expect((await post('2001:db8:1:2:ffff::1', { 'x-api-key': `alma_${'y'.repeat(43)}` })).status).toBe(429);
    expect((await post('2001:db8:1:3::1', { 'x-api-key': `alma_${'y'.repeat(43)}` })).status).toBe(401);
  });
});

describe('requests per credential with RATE_LIMIT_PER_MINUTE=3', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers 429 with Retry-After and RateLimit headers, and the Oration webhook too', async () => {
    const tenant = await server.createTenant();
    const send = (path: string, body: string) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': tenant.apiKey }, body });
    const remaining: number[] = [];
    for (let request = 0; request < 3; request++) {
      const response = await send('/graphql', JSON.stringify({ query: '{ __typename }' }));
      expect(response.status).toBe(200);
      remaining.push(Number(response.headers.get('ratelimit-remaining')));
    }
    expect(remaining).toEqual([2, 1, 0]);
    for (const path of ['/graphql', '/webhooks/oration']) {
      const refused = await send(path, '{}');
      expect(refused.status, path).toBe(429);
      // One token comes back every 20 s at 3 a minute.
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(20);
      expect(refused.headers.get('ratelimit-remaining')).toBe('0');
      expect(refused.headers.get('ratelimit-limit')).toBe('3');
    }
  });
});
