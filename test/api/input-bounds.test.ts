import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INPUT_LIMITS, MAX_UPSERT_AGENTS } from '../../src/limits/input-limits.js';
import { MAX_SEARCH_TEXT_LENGTH } from '../../src/conversations/conversation-filter.sql.js';
import { authHeaders, startTestServer, type Auth, type TestServer } from '../support/test-server.js';

const INGEST = 'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { created } }';
const STORED = `{ conversations(first: 50) { totalCount edges { node { externalId metaData dynamicVariables agents { agent { externalId name } } } } }
  agents(first: 50) { totalCount } }`;

interface Answer {
  status: number;
  body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any> }>; error?: { code: string; message: string } };
}

async function post(server: TestServer, path: string, body: unknown, auth: Auth): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders(auth) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: JSON.parse(await response.text()) };
}

/** One GraphQL error of `code`, with a message, never a 5xx or a masked error. */
function expectRefused(answer: Answer, code: string, message: RegExp): void {
  expect(answer.status).toBeLessThan(500);
  expect(answer.body.errors, JSON.stringify(answer.body)).toHaveLength(1);
  expect(answer.body.errors![0]!.extensions?.code).toBe(code);
  expect(answer.body.errors![0]!.message).toMatch(message);
}

function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < levels; level++) value = level % 2 ? [value] : { a: value };
  return value;
}

/** Text that PostgreSQL cannot compress below its index row limit (~2.7 kB). */
function incompressible(length: number): string {
  let state = 7;
  let text = '';
  while (text.length < length) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    text += state.toString(36);
  }
  return text.slice(0, length);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('bad input of every shape is refused with a code, in production', () => {
  let server: TestServer;
  let auth: Auth;
  let before: unknown;

  beforeAll(async () => {
    server = await startTestServer({ NODE_ENV: 'production' });
    auth = (await server.createTenant()).auth;
    const seeded = await server.graphql(INGEST, { input: { externalId: 'kept-1', channel: 'CHAT', metaData: { tier: 'gold' }, agents: [{ externalId: 'ava', name: 'Ava' }] } }, auth);
    expect(seeded.data).toEqual({ ingestConversation: { created: true } });
    before = (await server.graphql(STORED, {}, auth)).data;
    expect(before).toMatchObject({ conversations: { totalCount: 1 }, agents: { totalCount: 1 } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function expectNothingChanged() {
    const now = await server.graphql(STORED, {}, auth);
    expect(now.errors).toBeUndefined();
    expect(now.data).toEqual(before);
  }

  it(`caps the conversations search text at ${MAX_SEARCH_TEXT_LENGTH} characters, on the planned, resolver and analytics paths`, async () => {
    const search = (text: string) => ({
      query: 'query($text: String) { conversations(first: 5, filter: { text: $text }) { totalCount } analyticsOverview(range: { from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z" }, filter: { text: $text }) { conversations { total } } }',
      variables: { text },
    });
    const atCap = await post(server, '/graphql', search('x'.repeat(MAX_SEARCH_TEXT_LENGTH)), auth);
    expect(atCap.body.errors).toBeUndefined();
    expect(atCap.body.data.conversations.totalCount).toBe(0);
    const long = 'x'.repeat(MAX_SEARCH_TEXT_LENGTH + 1);
    const refused = await post(server, '/graphql', search(long), auth);
    expect(refused.status).toBeLessThan(500);
    expect(refused.body.errors!.length).toBeGreaterThanOrEqual(1);
    for (const error of refused.body.errors!) {
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error.message).toMatch(`filter.text may be at most ${MAX_SEARCH_TEXT_LENGTH} characters`);
    }
    const unplanned = await startTestServer({ NODE_ENV: 'production', GRAPHQL_READ_PLANNER: 'false' });
    try {
      const tenant = await unplanned.createTenant();
      const answer = await post(unplanned, '/graphql', { query: 'query($text: String) { conversations(first: 5, filter: { text: $text }) { totalCount } }', variables: { text: long } }, tenant.auth);
      expectRefused(answer, 'BAD_USER_INPUT', /filter\.text may be at most 200 characters/);
    } finally {
      await unplanned.stop();
    }
    await expectNothingChanged();
  });

  it('answers malformed or mismatched persisted-query extensions with 400 BAD_USER_INPUT', async () => {
    const query = '{ __typename }';
    for (const extensions of [
      { persistedQuery: { version: 1, sha256Hash: 'abc' } },
      { persistedQuery: { version: 1, sha256Hash: sha256('{ other }') } },
      { persistedQuery: { version: 1, sha256Hash: 5 } },
      { persistedQuery: { version: 2, sha256Hash: sha256(query) } },
      { persistedQuery: 'yes' },
      { persistedQuery: {} },
    ]) {
      const answer = await post(server, '/graphql', { query, extensions }, auth);
      expect(answer.status, JSON.stringify(extensions)).toBe(400);
      expectRefused(answer, 'BAD_USER_INPUT', /persisted query|sha does not match/);
    }
    for (const extensions of ['{"persistedQuery":{}}', [1]]) {
      const answer = await post(server, '/graphql', { query, extensions }, auth);
      expect(answer.status).toBe(400);
      expectRefused(answer, 'BAD_USER_INPUT', /extensions/);
    }
  });

  it('keeps the automatic-persisted-query protocol: unknown hash → PERSISTED_QUERY_NOT_FOUND, then registered and served by hash', async () => {
    const query = '{ __typename }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
    const unknown = await post(server, '/graphql', { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }, auth);
    expectRefused(unknown, 'PERSISTED_QUERY_NOT_FOUND', /^PersistedQueryNotFound$/);
    for (const sha256Hash of [{ not: 'a string' }, null]) {
      expectRefused(await post(server, '/graphql', { extensions: { persistedQuery: { version: 1, sha256Hash } } }, auth), 'PERSISTED_QUERY_NOT_FOUND', /PersistedQueryNotFound/);
    }
    expect((await post(server, '/graphql', { query, extensions }, auth)).body).toEqual({ data: { __typename: 'Query' } });
    expect((await post(server, '/graphql', { extensions }, auth)).body).toEqual({ data: { __typename: 'Query' } });
  });

  it(`refuses JSON values nested deeper than ${INPUT_LIMITS.jsonDepth} levels, in literals and in variables`, async () => {
    const literalArray = `mutation { ingestConversation(input: { externalId: "deep-1", channel: CHAT, metaData: ${'['.repeat(1500)}1${']'.repeat(1500)} }) { created } }`;
    const literalObject = `mutation { ingestConversation(input: { externalId: "deep-2", channel: CHAT, metaData: ${'{a: '.repeat(1200)}1${'}'.repeat(1200)} }) { created } }`;
    for (const query of [literalArray, literalObject]) {
      const answer = await post(server, '/graphql', { query }, auth);
      expect(answer.status).toBe(400);
      expectRefused(answer, 'BAD_USER_INPUT', new RegExp(`at most ${INPUT_LIMITS.jsonDepth} levels`));
    }
    for (const input of [
      { externalId: 'deep-3', channel: 'CHAT', metaData: nested(INPUT_LIMITS.jsonDepth + 1) },
      { externalId: 'deep-4', channel: 'CHAT', messages: [{ sequence: 0, senderRole: 'USER', content: 'x', metaData: nested(50) }] },
      { externalId: 'deep-5', channel: 'CHAT', agents: [{ externalId: 'deep', otherInfo: nested(40) }] },
    ]) {
      const answer = await post(server, '/graphql', { query: INGEST, variables: { input } }, auth);
      expect(answer.status).toBe(400);
      expectRefused(answer, 'BAD_USER_INPUT', /at most 32 levels/);
    }
    await expectNothingChanged();
    // At the bound it is stored as sent (another tenant, so this one's data stays as it was).
    const other = (await server.createTenant()).auth;
    const atBound = nested(INPUT_LIMITS.jsonDepth);
    const stored = await server.graphql(INGEST, { input: { externalId: 'deep-ok', channel: 'CHAT', metaData: atBound } }, other);
    expect(stored.data).toEqual({ ingestConversation: { created: true } });
    const read = await server.graphql('{ conversations(filter: { externalId: "deep-ok" }) { edges { node { metaData } } } }', {}, other);
    expect(read.data?.conversations.edges[0].node.metaData ?? read.errors).toEqual(atBound);
  });

  it(`refuses a JSON value over ${INPUT_LIMITS.jsonBytes} bytes, and does not echo it back`, async () => {
    const answer = await post(server, '/graphql', { query: INGEST, variables: { input: { externalId: 'big-1', channel: 'CHAT', metaData: { blob: 'y'.repeat(600_000) } } } }, auth);
    expect(answer.status).toBe(400);
    expectRefused(answer, 'BAD_USER_INPUT', new RegExp(`at most ${INPUT_LIMITS.jsonBytes} bytes`));
    expect(answer.body.errors![0]!.message.length).toBeLessThan(1_100);
    await expectNothingChanged();
  });

  it('refuses identifiers and indexed text past their caps with BAD_USER_INPUT naming the field, never a database error', async () => {
    const huge = incompressible(20_000);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ externalId: huge, channel: 'CHAT' }, 'externalId'],
      [{ externalId: 'cap-1', channel: 'CHAT', agents: [{ externalId: huge }] }, 'agents[0].externalId'],
      [{ externalId: 'cap-2', channel: 'CHAT', agents: [{ externalId: 'a', name: huge }] }, 'agents[0].name'],
      [{ externalId: 'cap-3', channel: 'CHAT', contacts: [{ externalId: 'c', phoneNumber: huge }] }, 'contacts[0].phoneNumber'],
      [{ externalId: 'cap-4', channel: 'CHAT', actions: [{ functionName: huge, status: 'SUCCESS' }] }, 'actions[0].functionName'],
      [{ externalId: 'cap-5', channel: 'CHAT', tickets: [{ ticketId: huge, action: 'CREATED' }] }, 'tickets[0].ticketId'],
      [{ externalId: 'cap-6', channel: 'CHAT', events: [{ externalId: huge, eventType: 'SALE_MADE', payload: {} }] }, 'events[0].externalId'],
      [{ externalId: 'cap-7', channel: 'CHAT', topics: [huge] }, 'topics[0]'],
      [{ externalId: 'cap-8', channel: 'CHAT', origin: huge }, 'origin'],
      [{ externalId: 'cap-9', channel: 'CHAT', messages: [{ sequence: 0, senderRole: 'USER', content: 'c'.repeat(100_001) }] }, 'messages[0].content'],
      [{ externalId: 'cap-10', channel: 'CHAT', topics: Array.from({ length: 1_001 }, (_, index) => `t${index}`) }, 'input.topics'],
    ];
    for (const [input, field] of cases) {
      const answer = await post(server, '/graphql', { query: INGEST, variables: { input } }, auth);
      expectRefused(answer, 'BAD_USER_INPUT', new RegExp(`^${field.replace(/[[\]]/g, '\\$&')} `));
      expect(answer.body.errors![0]!.extensions?.field).toBe(field);
    }
    const agents = await server.graphql('mutation($agents: [AgentInput!]!) { upsertAgents(agents: $agents) { id } }', { agents: [{ externalId: 'x', name: huge }] }, auth);
    expect(agents.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'agents[0].name' });
    const many = await server.graphql(
      'mutation($agents: [AgentInput!]!) { upsertAgents(agents: $agents) { id } }',
      { agents: Array.from({ length: MAX_UPSERT_AGENTS + 1 }, (_, index) => ({ externalId: `bulk-${index}` })) },
      auth,
    );
    expect(many.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'agents', maxItems: MAX_UPSERT_AGENTS });
    expect(many.errors?.[0]?.message).toBe(`agents may have at most ${MAX_UPSERT_AGENTS} items (got ${MAX_UPSERT_AGENTS + 1})`);
    await expectNothingChanged();
  });

  it('refuses a list past its cap with 400 BAD_USER_INPUT before anything runs, in literals and in variables', async () => {
    const channels = Array.from({ length: 101 }, () => 'CHAT').join(' ');
    const literal = await post(server, '/graphql', { query: `{ conversations(first: 5, filter: { channels: [${channels}] }) { totalCount } }` }, auth);
    expect(literal.status).toBe(400);
    expectRefused(literal, 'BAD_USER_INPUT', /^filter\.channels may have at most 100 items \(got 101\)$/);
    expect(literal.body.errors![0]!.extensions).toMatchObject({ field: 'filter.channels', maxItems: 100 });
    expect(literal.body.data).toBeUndefined();

    // One item of a bulk ingest with too many messages: the whole request is refused, nothing is written.
    const messages = Array.from({ length: 10_001 }, (_, sequence) => ({ sequence, senderRole: 'USER', content: 'm' }));
    const bulk = await post(
      server,
      '/graphql',
      {
        query: 'mutation($inputs: [IngestConversationInput!]!) { ingestConversations(inputs: $inputs) { externalId } }',
        variables: { inputs: [{ externalId: 'bulk-ok', channel: 'CHAT' }, { externalId: 'bulk-long', channel: 'CHAT', messages }] },
      },
      auth,
    );
    expect(bulk.status).toBe(400);
    expectRefused(bulk, 'BAD_USER_INPUT', /^inputs\[1\]\.messages may have at most 10000 items \(got 10001\)$/);
    await expectNothingChanged();
  });

  it('answers deep, oversized and over-long Oration webhook payloads with 400/413 and a code', async () => {
    const fixture = JSON.parse(readFileSync('test/fixtures/oration-analysis-completed.json', 'utf8'));
    const deep = structuredClone(fixture);
    deep.payload.dynamicVariables = { deep: nested(60) };
    const longId = structuredClone(fixture);
    longId.payload.id = incompressible(20_000);
    const cases: Array<[unknown, number, RegExp]> = [
      [deep, 400, /at most 32 levels/],
      [longId, 400, /externalId must be a non-empty string of at most 500 characters/],
      [nested(200), 400, /deeper than 64 levels/],
      [{ ...fixture, padding: 'p'.repeat(1_100_000) }, 413, /exceeds/],
    ];
    for (const [payload, status, message] of cases) {
      const answer = await post(server, '/webhooks/oration', payload, auth);
      expect(answer.status).toBe(status);
      expect(answer.body.error?.code).toBe('BAD_USER_INPUT');
      expect(answer.body.error?.message).toMatch(message);
    }
    await expectNothingChanged();
  });

  it('names no schema element the client did not write: fields, arguments, types, input fields, enum values (literals and variables)', async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['{ conversatins { totalCount } }', {}],
      ['{ conversations(frist: 1) { totalCount } }', {}],
      ['query($filter: ConversationFiltr) { conversations(filter: $filter) { totalCount } }', {}],
      ['{ conversations(filter: { chanels: [VOICE] }) { totalCount } }', {}],
      ['{ conversations(orderBy: STARTED_AT_DES) { totalCount } }', {}],
      ['query($order: ConversationOrder) { conversations(orderBy: $order) { totalCount } }', { order: 'STARTED_AT_DES' }],
      ['query($channel: Channel!) { conversations(filter: { channels: [$channel] }) { totalCount } }', { channel: 'VOIC' }],
      ['{ ... on Quer { __typename } }', {}],
      [INGEST, { input: { externalId: 'x', channel: 'CHAT', directon: 'INBOUND' } }],
    ];
    for (const [query, variables] of cases) {
      const answer = await post(server, '/graphql', { query, variables }, auth);
      expect(answer.status).toBe(400);
      const message = answer.body.errors![0]!.message;
      expect(answer.body.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
      expect(message, query).not.toMatch(/Did you mean|Suggestion|STARTED_AT_DESC|CREATED_AT|"VOICE"|"channels"|"direction"|"first"|"conversations"/);
    }
    await expectNothingChanged();
  });
});

describe('suggestions outside production', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('still helps a developer with "Did you mean"', async () => {
    const tenant = await server.createTenant();
    const answer = await post(server, '/graphql', { query: '{ conversations(orderBy: STARTED_AT_DES) { totalCount } }' }, tenant.auth);
    expect(answer.body.errors![0]!.message).toContain('Did you mean the enum value "STARTED_AT_DESC"');
  });
});
