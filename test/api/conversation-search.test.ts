import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { MAX_SEARCH_TEXT_LENGTH } from '../../src/conversations/conversation-filter.sql.js';
import { testDatabaseKind } from '../support/test-database.js';
import { startTestServer, type Auth, type TestServer } from '../support/test-server.js';

const INGEST = 'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { created } }';
// Alone in their operations, so that the read planner answers `conversations` (it plans whole operations only).
const CONVERSATIONS = 'query($text: String) { conversations(first: 50, orderBy: CREATED_AT_ASC, filter: { text: $text }) { totalCount edges { node { externalId } } } }';
const ANALYTICS = `query($text: String) {
  analyticsOverview(range: { from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z" }, filter: { text: $text }) { conversations { total } }
}`;

interface Found {
  conversations: { totalCount: number; edges: Array<{ node: { externalId: string } }> };
  analyticsOverview: { conversations: { total: number } };
}

/** What a search answers on one server: the conversations list and the analytics count. */
async function search(server: TestServer, auth: Auth, text: string) {
  const listed = await server.graphql<Pick<Found, 'conversations'>>(CONVERSATIONS, { text }, auth);
  expect(listed.errors, JSON.stringify(listed.errors)).toBeUndefined();
  const counted = await server.graphql<Pick<Found, 'analyticsOverview'>>(ANALYTICS, { text }, auth);
  expect(counted.errors, JSON.stringify(counted.errors)).toBeUndefined();
  const ids = listed.data!.conversations.edges.map((edge) => edge.node.externalId).sort();
  return { ids, totalCount: listed.data!.conversations.totalCount, analytics: counted.data!.analyticsOverview.conversations.total };
}

/** One conversation per text: its externalId is the key the searches answer with. */
const TEXTS: Record<string, string> = {
  percent: 'We give 50% off today',
  fifty: 'We give 50 off today, no percent sign',
  underscore: 'the field is order_id',
  orderXid: 'the field is orderXid',
  backslash: 'the path is C:\\temp\\logs',
  plain: 'the path is C:temp',
  accents: 'Quero falar sobre o PREÇO',
};

/** What each search must find: a literal substring, case-insensitive (LIKE wildcards and escapes are plain characters). */
const EXPECTED: Array<[string, string[]]> = [
  ['%', ['percent']],
  ['50%', ['percent']],
  ['50% off', ['percent']],
  ['_', ['underscore']],
  ['order_id', ['underscore']],
  ['r_i', ['underscore']],
  ['\\', ['backslash']],
  ['C:\\temp', ['backslash']],
  ['\\t', ['backslash']],
  ['%_\\', []],
  ['the field', ['underscore', 'orderXid']],
  ['preço', ['accents']],
  ['GIVE 50', ['percent', 'fifty']],
];

describe('conversation text search: a literal, case-insensitive substring on every path', () => {
  let planned: TestServer;
  let unplanned: TestServer;
  let auth: Auth;
  let unplannedAuth: Auth;

  beforeAll(async () => {
    [planned, unplanned] = await Promise.all([startTestServer(), startTestServer({ GRAPHQL_READ_PLANNER: 'false' })]);
    auth = (await planned.createTenant()).auth;
    unplannedAuth = (await unplanned.createTenant()).auth;
    for (const [server, tenant] of [[planned, auth], [unplanned, unplannedAuth]] as const) {
      for (const [externalId, content] of Object.entries(TEXTS)) {
        const result = await server.graphql(INGEST, {
          input: { externalId, channel: 'CHAT', startedAt: '2026-06-01T10:00:00Z', messages: [{ sequence: 0, senderRole: 'USER', content }] },
        }, tenant);
        expect(result.errors).toBeUndefined();
      }
    }
  });
  afterAll(async () => {
    await Promise.all([planned?.stop(), unplanned?.stop()]);
  });

  it.each(EXPECTED)('%j finds the same conversations planned, unplanned and in analytics', async (text, expected) => {
    const want = [...expected].sort();
    const answer = { ids: want, totalCount: want.length, analytics: want.length };
    expect(await search(planned, auth, text), 'read planner').toEqual(answer);
    expect(await search(unplanned, unplannedAuth, text), 'resolvers (Prisma)').toEqual(answer);
  });
});

interface Sent {
  sql: string;
  params: readonly unknown[];
}

/** Rows of filler conversations and messages, written in two statements (the API would take minutes). */
async function fill(server: TestServer, organizationId: string, conversations: number, messagesEach: number): Promise<void> {
  const scope = server.app.database.forOrganization(organizationId);
  await scope.query(
    `INSERT INTO conversations (alma_internal_organization, channel, origin, external_id, started_at)
     SELECT $1, 'CHAT', 'filler', 'filler-' || g, '2026-06-02T00:00:00Z'::timestamptz + g * interval '1 minute' FROM generate_series(1, $2::int) g`,
    [conversations],
  );
  await scope.query(
    `INSERT INTO messages (alma_internal_organization, conversation_uuid, sender_role, turn_sequence_number, content, channel, origin)
     SELECT $1, c.uuid, 'USER', g, 'filler message ' || g || ': ' || md5(c.uuid::text || g) || ' ' || md5(g::text || c.uuid::text), 'CHAT', 'filler'
     FROM conversations c, generate_series(0, $2::int - 1) g WHERE c.alma_internal_organization = $1 AND c.origin = 'filler'`,
    [messagesEach],
  );
}

/**
 * The plan of a statement the API sent, with its own parameters, sequential scans discouraged (the
 * planner prefers them on tables this small). Tenant SQL binds the organization as $1; Prisma's
 * statements bind it where they use it, so their placeholders are renumbered to put it first.
 */
async function planOf(server: TestServer, organizationId: string, sent: Sent): Promise<string> {
  const at = sent.params.indexOf(organizationId);
  expect(at, JSON.stringify(sent)).toBeGreaterThanOrEqual(0);
  const order = [at, ...sent.params.keys()].filter((index, position) => position === 0 || index !== at);
  const sql = sent.sql.replace(/\$(\d+)/g, (_, n: string) => `$${order.indexOf(Number(n) - 1) + 1}`);
  return server.app.database.forOrganization(organizationId).transaction(async (tx) => {
    await tx.query("SELECT set_config('enable_seqscan', 'off', true), $1::uuid");
    const rows = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, order.slice(1).map((index) => sent.params[index]));
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}

/** The planner's statistics and the GIN index's pending list after the fill: what autovacuum keeps on PostgreSQL and the embedded database's own schedule on PGlite. */
async function refreshStatistics(server: TestServer): Promise<void> {
  if (testDatabaseKind === 'embedded') {
    expect(await server.app.database.refreshStatistics()).toEqual(expect.arrayContaining(['conversations', 'messages']));
    expect(await server.app.database.refreshStatistics()).toEqual([]); // nothing grew since
    return;
  }
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query('VACUUM (ANALYZE) conversations, messages'); // autovacuum's work: statistics, and the GIN pending list flushed
  } finally {
    await client.end();
  }
}

describe('the messages trigram index serves every search path', () => {
  const TARGET = 'needle in the haystack, 100% literal: snake_case and C:\\dir. '.repeat(4).slice(0, MAX_SEARCH_TEXT_LENGTH);
  // The planner reads the index once it costs less than the organization's messages: for a 200-character
  // search (about 60 trigrams to look up) past some 30,000 messages, for a short one already here.
  const SHORT = '100% LITERAL: Snake_case';
  let servers: Array<{ name: string; server: TestServer; organizationId: string; auth: Auth; sent: Sent[] }>;

  beforeAll(async () => {
    servers = [];
    for (const [name, env] of [['read planner', {}], ['resolvers (Prisma)', { GRAPHQL_READ_PLANNER: 'false' }]] as const) {
      const sent: Sent[] = [];
      const server = await startTestServer(env, { onQuery: (sql, params) => void sent.push({ sql, params }) });
      const { organizationId, auth } = await server.createTenant();
      await fill(server, organizationId, 100, 100);
      await refreshStatistics(server);
      const result = await server.graphql(INGEST, {
        input: { externalId: 'target', channel: 'CHAT', startedAt: '2026-06-01T10:00:00Z', messages: [{ sequence: 0, senderRole: 'USER', content: `Customer: ${TARGET.toUpperCase()} end` }] },
      }, auth);
      expect(result.errors).toBeUndefined();
      servers.push({ name, server, organizationId, auth, sent });
    }
  });
  afterAll(async () => {
    await Promise.all((servers ?? []).map(({ server }) => server.stop()));
  });

  it('a search finds its conversation, and each statement it sent reads the trigram index', async () => {
    for (const { name, server, organizationId, auth, sent } of servers) {
      sent.length = 0;
      expect(await search(server, auth, SHORT), name).toEqual({ ids: ['target'], totalCount: 1, analytics: 1 });
      const searches = sent.filter((statement) => /ILIKE/i.test(statement.sql));
      // The conversations page (and its count, unplanned) and the analytics overview.
      expect(searches.length, name).toBeGreaterThanOrEqual(2);
      for (const statement of searches) {
        const plan = await planOf(server, organizationId, statement);
        expect(plan, `${name}: ${statement.sql}`).toContain('Bitmap Index Scan on messages_content_trigram');
      }
    }
  });

  it(`a ${MAX_SEARCH_TEXT_LENGTH}-character search finds its conversation`, async () => {
    expect(TARGET).toHaveLength(MAX_SEARCH_TEXT_LENGTH);
    for (const { name, server, auth } of servers) {
      expect(await search(server, auth, TARGET), name).toEqual({ ids: ['target'], totalCount: 1, analytics: 1 });
    }
  });
});
