import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError, ErrorCode } from '../../src/errors/domain-error.js';
import { formatGraphQLError } from '../../src/graphql/error-formatting.js';
import { authHeaders, startTestServer, type Auth, type TestServer } from '../support/test-server.js';

/** Every code a client may see; anything else (or a 5xx) is a failure of error handling. */
const ALLOWED_CODES = ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'CONFLICT', 'RATE_LIMITED', 'INTERNAL_SERVER_ERROR'];

const INGEST = `mutation Ingest($input: IngestConversationInput!) {
  ingestConversation(input: $input) { created conversation { id externalId } }
}`;

const READ = `query Read($id: UUID!) {
  conversation(id: $id) {
    id externalId channel direction status outcome startedAt endedAt durationSeconds topics dynamicVariables
    agents { agent { externalId name } }
    messages(first: 10) { totalCount edges { node { sequence senderRole content } } }
    events { eventType payload }
  }
}`;

const COUNT = '{ conversations { totalCount } }';

function baselineCall(externalId: string) {
  return {
    externalId,
    channel: 'VOICE',
    direction: 'INBOUND',
    startedAt: '2026-11-01T10:00:00.000Z',
    endedAt: '2026-11-01T10:05:00.000Z',
    outcome: 'RESOLVED',
    topics: ['billing'],
    agents: [{ externalId: 'ava', name: 'Ava' }],
    dynamicVariables: { tier: 'gold' },
    messages: [
      { sequence: 0, senderRole: 'AGENT', content: 'Hello, how can I help?' },
      { sequence: 1, senderRole: 'USER', content: 'My invoice is wrong.' },
    ],
    events: [{ eventType: 'CUSTOMER_INFORMATION_DETECTION', eventSubtype: 'NAME', payload: { VALUE: 'Ana' } }],
  };
}

interface RawResponse {
  status: number;
  headers: Headers;
  body: { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
}

async function rawFetch(url: string, init: RequestInit): Promise<RawResponse> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

function rawPost(server: TestServer, body: string, auth?: Auth, headers: Record<string, string> = {}) {
  return rawFetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders(auth), ...headers },
    body,
  });
}

/** A client error: never a 5xx, and every error carries one of the allowed codes. */
function expectClientError(
  result: { status: number; errors?: Array<{ extensions?: Record<string, any> }> },
  status: number,
  code: string,
) {
  expect(result.status).toBe(status);
  expect(result.status).toBeLessThan(500);
  expect(result.errors?.length).toBeGreaterThan(0);
  for (const error of result.errors ?? []) expect(ALLOWED_CODES).toContain(error.extensions?.code);
  expect(result.errors![0]!.extensions?.code).toBe(code);
}

/** What one tenant has stored: its conversation count and one conversation read back in full. */
async function snapshot(server: TestServer, auth: Auth, id: string) {
  const count = await server.graphql(COUNT, {}, auth);
  const read = await server.graphql(READ, { id }, auth);
  expect(count.errors).toBeUndefined();
  expect(read.errors).toBeUndefined();
  return { totalCount: count.data!.conversations.totalCount as number, conversation: read.data!.conversation };
}

async function ingestBaseline(server: TestServer, auth: Auth, externalId = 'baseline-1') {
  const ingested = await server.graphql(INGEST, { input: baselineCall(externalId) }, auth);
  expect(ingested.errors).toBeUndefined();
  return ingested.data!.ingestConversation.conversation.id as string;
}

/** conversation { events { conversation { events { … } } } }, `levels` times. */
function deepSelection(levels: number): string {
  let selection = 'id';
  for (let level = 0; level < levels; level++) selection = `events { conversation { ${selection} } }`;
  return selection;
}

describe('errors on the default server', () => {
  let server: TestServer;
  let auth: Auth;
  let organizationId: string;
  let baselineId: string;
  let before: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    server = await startTestServer();
    const tenant = await server.createTenant();
    auth = tenant.auth;
    organizationId = tenant.organizationId;
    baselineId = await ingestBaseline(server, auth);
    before = await snapshot(server, auth, baselineId);
    expect(before.totalCount).toBe(1);
    expect(before.conversation).toMatchObject({ externalId: 'baseline-1', channel: 'VOICE', messages: { totalCount: 2 } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function expectNothingChanged() {
    expect(await snapshot(server, auth, baselineId)).toEqual(before);
  }

  it('answers a malformed JSON body with 400 BAD_USER_INPUT', async () => {
    const response = await rawPost(server, '{"query":', auth);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_USER_INPUT' } }] });
    await expectNothingChanged();
  });

  it('answers a GraphQL syntax error with 400 BAD_USER_INPUT (GRAPHQL_PARSE_FAILED)', async () => {
    for (const query of ['mutation { ingestConversation(input: { externalId: "x", channel: VOICE }) { created ', '{ __typename', '}}}']) {
      const result = await server.graphql(query, {}, auth);
      expectClientError(result, 400, 'BAD_USER_INPUT');
      expect(result.errors![0]!.extensions, query).toEqual({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_PARSE_FAILED' });
      expect(result.errors![0]!.message).toMatch(/^Syntax Error: /);
      expect(result.data).toBeUndefined();
    }
    await expectNothingChanged();
  });

  it('answers a document over GRAPHQL_MAX_TOKENS (5000) with 400 BAD_USER_INPUT before executing it', async () => {
    const fields = Array.from({ length: 5000 }, (_, index) => `f${index}: __typename`).join(' ');
    const result = await server.graphql(`mutation { ingestConversation(input: { externalId: "tokens-1", channel: CHAT }) { created } ${fields} }`, {}, auth);
    expectClientError(result, 400, 'BAD_USER_INPUT');
    expect(result.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_PARSE_FAILED' });
    // graphql-js spells it "more that"; only the limit matters here.
    expect(result.errors![0]!.message).toMatch(/^Syntax Error: Document contains more tha[nt] 5000 tokens\. Parsing aborted\.$/);
    expect(result.data).toBeUndefined();
    await expectNothingChanged();
  });

  it('answers an unknown field with 400 BAD_USER_INPUT (GRAPHQL_VALIDATION_FAILED)', async () => {
    const result = await server.graphql('{ conversations { totalCount secretField } }', {}, auth);
    expectClientError(result, 400, 'BAD_USER_INPUT');
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' });
    expect(result.errors![0]!.message).toContain('Cannot query field "secretField" on type "ConversationConnection"');
    expect(result.data).toBeUndefined();
    await expectNothingChanged();
  });

  it('answers variables of the wrong type with 400 BAD_USER_INPUT', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['query($first: Int) { conversations(first: $first) { totalCount } }', { first: 'ten' }, '$first'],
      ['query($id: UUID!) { conversation(id: $id) { id } }', { id: 'not-a-uuid' }, '$id'],
      ['query($from: DateTime) { conversations(filter: { startedAt: { from: $from } }) { totalCount } }', { from: 'yesterday' }, '$from'],
      [INGEST, { input: { ...baselineCall('typed-1'), startedAt: 'yesterday' } }, '$input'],
      [INGEST, { input: { ...baselineCall('typed-2'), messages: [{ sequence: 'first', senderRole: 'USER', content: 'x' }] } }, '$input'],
    ];
    for (const [query, variables, variable] of cases) {
      const result = await server.graphql(query, variables, auth);
      expectClientError(result, 400, 'BAD_USER_INPUT');
      expect(result.errors![0]!.message, JSON.stringify(variables)).toContain(`Variable "${variable}"`);
      expect(result.data).toBeUndefined();
    }
    await expectNothingChanged();
  });

  it('answers literal arguments of the wrong type with 400 BAD_USER_INPUT', async () => {
    for (const query of [
      '{ conversation(id: "not-a-uuid") { id } }',
      '{ conversations(first: "ten") { totalCount } }',
      '{ conversations(filter: { startedAt: { from: "yesterday" } }) { totalCount } }',
    ]) {
      const result = await server.graphql(query, {}, auth);
      expectClientError(result, 400, 'BAD_USER_INPUT');
      expect(result.errors![0]!.extensions?.reason, query).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    await expectNothingChanged();
  });

  it('answers an unknown enum value with BAD_USER_INPUT', async () => {
    const filtered = await server.graphql(
      'query($channel: Channel!) { conversations(filter: { channels: [$channel] }) { totalCount } }',
      { channel: 'TELEPATHY' },
      auth,
    );
    expectClientError(filtered, 400, 'BAD_USER_INPUT');
    expect(filtered.errors![0]!.message).toContain('TELEPATHY');
    const ingest = await server.graphql(INGEST, { input: { ...baselineCall('telepathy-1'), channel: 'TELEPATHY' } }, auth);
    expectClientError(ingest, 400, 'BAD_USER_INPUT');
    expect(ingest.errors![0]!.message).toContain('TELEPATHY');
    await expectNothingChanged();
  });

  it('refuses text PostgreSQL cannot store (NUL characters) with BAD_USER_INPUT, storing nothing', async () => {
    for (const input of [
      { ...baselineCall('nul-1'), messages: [{ sequence: 0, senderRole: 'USER', content: 'a\u0000b' }] },
      { ...baselineCall('nul\u00002') },
      { ...baselineCall('nul-3'), dynamicVariables: { note: 'a\u0000b' } },
    ]) {
      const result = await server.graphql(INGEST, { input }, auth);
      expectClientError(result, 200, 'BAD_USER_INPUT');
      expect(result.errors![0]!.message, input.externalId).toBe('A value is missing or not valid for its field');
      expect(result.data).toBeNull();
    }
    await expectNothingChanged();
  });

  it('refuses page sizes out of range and garbage cursors with BAD_USER_INPUT', async () => {
    for (const first of [1000, 101, -1]) {
      const result = await server.graphql('query($first: Int) { conversations(first: $first) { totalCount } }', { first }, auth);
      expectClientError(result, 200, 'BAD_USER_INPUT');
      expect(result.errors![0]!.message).toBe('first must be between 0 and 100');
      expect(result.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'first', max: 100 });
      expect(result.data).toBeNull();
    }
    const cursor = (values: unknown) => Buffer.from(JSON.stringify(values)).toString('base64url');
    const garbage = [
      'garbage',
      '!!!not base64!!!',
      cursor({ not: 'an array' }),
      cursor(['2026-11-01T10:00:00.000Z']),
      cursor(['yesterday', randomUUID()]),
      cursor(['2026-11-01T10:00:00.000Z', 'not-a-uuid']),
    ];
    for (const after of garbage) {
      const result = await server.graphql('query($after: String) { conversations(after: $after) { totalCount } }', { after }, auth);
      expectClientError(result, 200, 'BAD_USER_INPUT');
      expect(result.data, after).toBeNull();
    }
    const messages = await server.graphql('query($id: UUID!) { conversation(id: $id) { messages(after: "garbage") { totalCount } } }', { id: baselineId }, auth);
    expectClientError(messages, 200, 'BAD_USER_INPUT');
    for (const after of ['garbage', cursor(['2026-11-01T10:00:00.000Z', 'not-a-uuid']), cursor(['not a date', randomUUID()])]) {
      const nested = await server.graphql('query($after: String) { agents { edges { node { conversations(after: $after) { totalCount } } } } }', { after }, auth);
      expectClientError(nested, 200, 'BAD_USER_INPUT');
      expect(nested.errors![0]!.path, after).toEqual(['agents', 'edges', 0, 'node', 'conversations']);
    }
    for (const query of ['agents', 'events', 'followUps']) {
      const result = await server.graphql(`query($after: String) { ${query}(after: $after) { totalCount } }`, { after: cursor(['yesterday', randomUUID()]) }, auth);
      expectClientError(result, 200, 'BAD_USER_INPUT');
    }
    await expectNothingChanged();
  });

  it('refuses a query deeper than GRAPHQL_MAX_DEPTH before executing anything', async () => {
    // A mutation, so "nothing executed" is observable: had it run, a conversation would be stored.
    const deep = `mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { conversation { ${deepSelection(6)} } } }`;
    const result = await server.graphql(deep, { input: baselineCall('too-deep-1') }, auth);
    expectClientError(result, 400, 'BAD_USER_INPUT');
    expect(result.errors![0]!.message).toContain('depth');
    expect(result.data).toBeUndefined();
    const agentsDeep = await server.graphql(
      '{ agents { edges { node { conversations { edges { node { agents { agent { conversations { edges { node { agents { agent { id } } } } } } } } } } } } } }',
      {},
      auth,
    );
    expectClientError(agentsDeep, 400, 'BAD_USER_INPUT');
    await expectNothingChanged();
    // The same shape within the limit runs.
    const shallow = await server.graphql(`query($id: UUID!) { conversation(id: $id) { ${deepSelection(2)} } }`, { id: baselineId }, auth);
    expect(shallow.errors).toBeUndefined();
    expect(shallow.data!.conversation.events[0].conversation.events[0].conversation.id).toBe(baselineId);
  });

  it('answers conversation(id) for an unknown id with NOT_FOUND', async () => {
    const result = await server.graphql('query($id: UUID!) { conversation(id: $id) { id } }', { id: randomUUID() }, auth);
    expectClientError(result, 200, 'NOT_FOUND');
    expect(result.errors![0]!.message).toBe('Conversation not found');
    expect(result.data).toBeNull();
    await expectNothingChanged();
  });

  it('answers missing or bad credentials with UNAUTHENTICATED and a missing scope with FORBIDDEN', async () => {
    const anonymous = await server.graphql(INGEST, { input: baselineCall('anon-1') });
    expectClientError(anonymous, 200, 'UNAUTHENTICATED');
    const badToken = await server.graphql(INGEST, { input: baselineCall('anon-2') }, { token: 'not-a-jwt' });
    expectClientError(badToken, 401, 'UNAUTHENTICATED');
    expect(badToken.errors).toEqual([{ message: 'The token is invalid or expired', extensions: { code: 'UNAUTHENTICATED' } }]);
    // A READ-only key of the same organization may read but not ingest.
    const readOnly = await server.graphql(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
      { input: { organizationId, name: 'read only', scopes: ['READ'] } },
      { token: server.adminToken },
    );
    const readOnlyAuth: Auth = { apiKey: readOnly.data!.createApiKey.secret };
    const forbidden = await server.graphql(INGEST, { input: baselineCall('read-only-1') }, readOnlyAuth);
    expectClientError(forbidden, 200, 'FORBIDDEN');
    expect(forbidden.data).toBeNull();
    expect((await server.graphql(COUNT, {}, readOnlyAuth)).data).toEqual({ conversations: { totalCount: before.totalCount } });
    await expectNothingChanged();
  });

  it('refuses GET requests without a CSRF preflight header with 400, and serves them with one', async () => {
    const url = `${server.url}/graphql?query=${encodeURIComponent('{__typename}')}`;
    const refused = await rawFetch(url, { method: 'GET' });
    expect(refused.status).toBe(400);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.body.errors?.[0]?.message).toContain('CSRF');
    const allowed = await rawFetch(url, { method: 'GET', headers: { 'apollo-require-preflight': 'true' } });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toEqual({ data: { __typename: 'Query' } });
    const named = await rawFetch(url, { method: 'GET', headers: { 'x-apollo-operation-name': 'Typename' } });
    expect(named.status).toBe(200);
    expect(named.body).toEqual({ data: { __typename: 'Query' } });
  });

  it('answers introspection outside production', async () => {
    const result = await server.graphql('{ __schema { queryType { name } } }');
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('sets x-request-id on /graphql responses, echoing a sane one from the caller', async () => {
    const ok = await rawPost(server, JSON.stringify({ query: '{ __typename }' }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await rawPost(server, '{"query":');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await rawPost(server, JSON.stringify({ query: '{ __typename }' }), undefined, { 'x-request-id': 'client-req-42' });
    expect(echoed.headers.get('x-request-id')).toBe('client-req-42');
  });
});

describe('errors with GRAPHQL_MAX_ALIASES=3', () => {
  let server: TestServer;
  let auth: Auth;
  let baselineId: string;
  beforeAll(async () => {
    server = await startTestServer({ GRAPHQL_MAX_ALIASES: '3' });
    auth = (await server.createTenant()).auth;
    baselineId = await ingestBaseline(server, auth);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses five aliases with BAD_USER_INPUT before executing any of them', async () => {
    const before = await snapshot(server, auth, baselineId);
    const aliases = ['a', 'b', 'c', 'd', 'e']
      .map((alias) => `${alias}: ingestConversation(input: { externalId: "alias-${alias}", channel: CHAT }) { created }`)
      .join('\n');
    const result = await server.graphql(`mutation { ${aliases} }`, {}, auth);
    expectClientError(result, 400, 'BAD_USER_INPUT');
    expect(result.errors![0]!.message).toContain('Aliases limit of 3 exceeded, found 5');
    expect(result.data).toBeUndefined();
    expect(await snapshot(server, auth, baselineId)).toEqual(before);
    const three = await server.graphql('{ a: __typename b: __typename c: __typename }', {}, auth);
    expect(three).toEqual({ status: 200, data: { a: 'Query', b: 'Query', c: 'Query' } });
  });
});

describe('errors with MAX_BODY_BYTES=2048', () => {
  let server: TestServer;
  let auth: Auth;
  let baselineId: string;
  beforeAll(async () => {
    server = await startTestServer({ MAX_BODY_BYTES: '2048' });
    auth = (await server.createTenant()).auth;
    baselineId = await ingestBaseline(server, auth);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers a body over the limit with 413 and stores nothing', async () => {
    const before = await snapshot(server, auth, baselineId);
    const big = {
      ...baselineCall('too-big-1'),
      messages: Array.from({ length: 10 }, (_, sequence) => ({ sequence, senderRole: 'USER', content: 'x'.repeat(1000) })),
    };
    const body = JSON.stringify({ query: INGEST, variables: { input: big } });
    expect(Buffer.byteLength(body)).toBeGreaterThan(10_000);
    const response = await rawPost(server, body, auth);
    expect(response.status).toBe(413);
    expect(response.body).toEqual({ errors: [{ message: 'The request body exceeds 2048 bytes', extensions: { code: 'BAD_USER_INPUT' } }] });
    expect(await snapshot(server, auth, baselineId)).toEqual(before);
    expect(before.totalCount).toBe(1);
  });
});

describe('errors with NODE_ENV=production', () => {
  let server: TestServer;
  beforeAll(async () => {
    // startTestServer sets JWT_SECRET, which production requires.
    server = await startTestServer({ NODE_ENV: 'production' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses introspection', async () => {
    for (const query of ['{ __schema { queryType { name } } }', '{ __type(name: "Conversation") { name } }']) {
      const result = await server.graphql(query);
      expectClientError(result, 400, 'BAD_USER_INPUT');
      expect(result.errors![0]!.message, query).toContain('introspection');
      expect(result.data).toBeUndefined();
    }
    expect(await server.graphql('{ __typename }')).toEqual({ status: 200, data: { __typename: 'Query' } });
  });
});

describe('errors with RATE_LIMIT_PER_MINUTE=5', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers the 6th quick request of one key with 429 RATE_LIMITED while another tenant is served', async () => {
    const limited = await server.createTenant();
    const other = await server.createTenant();
    // Reads through a member token (its own rate bucket) so checking does not spend the key's.
    const observer: Auth = { token: server.memberToken(limited.organizationId) };
    const baselineId = await ingestBaseline(server, limited.auth); // request 1 of the key
    const before = await snapshot(server, observer, baselineId);
    expect(before.totalCount).toBe(1);
    for (let request = 2; request <= 5; request++) {
      const result = await server.graphql(COUNT, {}, limited.auth);
      expect(result, `request ${request}`).toEqual({ status: 200, data: { conversations: { totalCount: 1 } } });
    }
    const sixth = await server.graphql(INGEST, { input: baselineCall('over-limit-1') }, limited.auth);
    expect(sixth).toEqual({
      status: 429,
      errors: [{ message: 'Too many requests; slow down and retry in a few seconds', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) } }],
    });
    expect(sixth.errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(await server.graphql(COUNT, {}, other.auth)).toEqual({ status: 200, data: { conversations: { totalCount: 0 } } });
    expect(await snapshot(server, observer, baselineId)).toEqual(before);
  });
});

describe('formatGraphQLError masks unexpected errors', () => {
  it('turns a non-domain error into INTERNAL_SERVER_ERROR without its detail', () => {
    const error = new GraphQLError('secret detail', { path: ['conversations'], originalError: new Error('secret detail') });
    const formatted = formatGraphQLError(error.toJSON(), error);
    expect(formatted).toEqual({ message: 'Internal server error', locations: undefined, path: ['conversations'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(formatted)).not.toContain('secret detail');
  });

  it('keeps the code and message of a DomainError', () => {
    const domain = new DomainError(ErrorCode.CONFLICT, 'Sequence 1 is taken', { sequence: 1 });
    const error = new GraphQLError(domain.message, { path: ['appendMessages'], originalError: domain });
    expect(formatGraphQLError(error.toJSON(), error)).toEqual({
      message: 'Sequence 1 is taken',
      locations: undefined,
      path: ['appendMessages'],
      extensions: { sequence: 1, code: 'CONFLICT' },
    });
  });
});
