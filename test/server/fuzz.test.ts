import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../support/raw-http.js';
import { authHeaders, startTestServer, type Auth, type TestServer } from '../support/test-server.js';

/** Deterministic: the same seed gives the same requests on every run (mulberry32). */
function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 20261202;
const CODES = ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'CONFLICT', 'RATE_LIMITED', 'PERSISTED_QUERY_NOT_FOUND'];

const INGEST = 'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { created } }';
const deep = (levels: number, leaf: unknown = 1): unknown => (levels === 0 ? leaf : { a: deep(levels - 1, leaf) });

/** The cases the issue lists, then random damage to valid bodies. */
function graphqlBodies(random: () => number): string[] {
  const fixed: unknown[] = [
    { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'wrong' } } },
    { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } },
    { query: '{ __typename }', extensions: { persistedQuery: { version: 3 } } },
    { query: '{ __typename }', extensions: 'x' },
    { query: INGEST, variables: { input: { externalId: 'fz-deep', channel: 'CHAT', metaData: deep(60) } } },
    { query: `mutation { ingestConversation(input: { externalId: "fz-lit", channel: CHAT, metaData: ${'['.repeat(2000)}${']'.repeat(2000)} }) { created } }` },
    { query: INGEST, variables: { input: { externalId: 'x'.repeat(100_000), channel: 'CHAT' } } },
    { query: '{ conversations(orderBy: STARTED_AT_DES) { totalCount } }' },
    { query: 'query($o: ConversationOrder) { conversations(orderBy: $o) { totalCount } }', variables: { o: 'X' } },
    { query: 'mutation($a: [AgentInput!]!) { upsertAgents(agents: $a) { id } }', variables: { a: Array.from({ length: 600 }, (_, index) => ({ externalId: `a${index}` })) } },
  ];
  const valid = [
    { query: '{ conversations(first: 5) { totalCount edges { node { id externalId } } } }' },
    { query: INGEST, variables: { input: { externalId: 'fz-ok', channel: 'CHAT', messages: [{ sequence: 0, senderRole: 'USER', content: 'hi' }] } } },
    { query: 'query($id: UUID!) { conversation(id: $id) { id } }', variables: { id: '00000000-0000-0000-0000-000000000000' } },
  ];
  const junk = ['', '{', '}', '"', '\u0000', '[', 'null', '99999999999999999999', '-1', '"\ud800"', '{"__proto__":{}}', 'true'];
  const bodies = fixed.map((body) => JSON.stringify(body));
  while (bodies.length < 200) {
    const base = JSON.stringify(valid[Math.floor(random() * valid.length)]);
    const at = Math.floor(random() * base.length);
    const cut = Math.floor(random() * 4);
    bodies.push(base.slice(0, at) + junk[Math.floor(random() * junk.length)] + base.slice(at + cut));
  }
  return bodies;
}

function rawRequests(random: () => number, port: number, key: string): string[] {
  const fixed = [
    'GET // HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET http://x:99999/ HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n',
    'BREW /graphql HTTP/1.1\r\nHost: x\r\n\r\n',
    'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello',
    'POST /graphql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    `POST /webhooks/oration HTTP/1.1\r\nHost: x\r\nx-api-key: ${key}\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{"a":[[[`,
    `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(40_000)}\r\n\r\n`,
  ];
  const methods = ['GET', 'POST', 'PUT', 'OPTIONS', 'DELETE', 'G\u0001T'];
  const paths = ['/graphql', '/webhooks/oration', '/healthz', '/readyz', '/', '//', '/graphql?query={__typename}', '/graphql?extensions={', '*', 'http://[::1', '/..%2f'];
  const requests = [...fixed];
  while (requests.length < 100) {
    const method = methods[Math.floor(random() * methods.length)];
    const path = paths[Math.floor(random() * paths.length)];
    const body = random() < 0.5 ? '{"query":"{ __typename }"}' : '\u00ff\u0000{';
    requests.push(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nx-api-key: ${key}\r\napollo-require-preflight: 1\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }
  return requests;
}

describe(`fuzz (seed ${SEED}): a few hundred malformed requests over GraphQL and the raw socket`, () => {
  let server: TestServer;
  let auth: Auth;
  let apiKey: string;
  beforeAll(async () => {
    server = await startTestServer({ NODE_ENV: 'production' });
    const tenant = await server.createTenant();
    auth = tenant.auth;
    apiKey = tenant.apiKey;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers every GraphQL body without a 5xx, every error with a code', async () => {
    const random = prng(SEED);
    for (const body of graphqlBodies(random)) {
      const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...authHeaders(auth) }, body });
      const text = await response.text();
      expect(response.status, body.slice(0, 200)).toBeLessThan(500);
      const parsed = JSON.parse(text) as { errors?: Array<{ extensions?: { code?: string } }>; error?: { code?: string } };
      for (const error of parsed.errors ?? []) expect(CODES, `${body.slice(0, 200)} → ${text.slice(0, 300)}`).toContain(error.extensions?.code);
      if (parsed.error) expect(CODES).toContain(parsed.error.code);
    }
  });

  it('answers every raw request without a 5xx (a JSON code when it answers at all), and stays alive', async () => {
    const random = prng(SEED + 1);
    let answered = 0;
    for (const request of rawRequests(random, server.app.port, apiKey)) {
      const { response } = await rawRequest(server.app.port, [request], { deadlineMs: 10_000 });
      if (!response) continue;
      answered++;
      expect(response.status, request.slice(0, 120)).toBeLessThan(500);
      if (response.status >= 400 && response.json) {
        const code = response.json.error?.code ?? response.json.errors?.[0]?.extensions?.code;
        expect(CODES, `${request.slice(0, 120)} → ${response.body.slice(0, 200)}`).toContain(code);
      }
    }
    expect(answered).toBeGreaterThan(80);
    const health = await fetch(`${server.url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
  });
});
