/**
 * `npm run bench:search`: what the messages' trigram index (migration
 * `messages_content_trigram`) does to the conversations text search. For each database kind and
 * size, two fresh databases with the same messages — one migrated without that migration
 * ("before"), one with every migration ("after") — each behind the real app in this process; then
 * sequential `conversations(filter: { text })` requests (the read planner's statement) for:
 * - a 200-character text found nowhere (the worst case: every message of the organization is
 *   compared with it unless the index rules them out),
 * - a 200-character text found in one conversation,
 * - a common word (most conversations match; the index can't help much and must not hurt).
 * Median latency of BENCH_SEARCH_RUNS requests each, before → after, and the ratio.
 *
 * Messages are the demo conversations' texts (Portuguese and English support and sales calls), 20
 * per conversation, written with SQL (the API would take minutes). Statistics are refreshed as
 * autovacuum (PostgreSQL) or the embedded database's schedule would (`refreshStatistics`).
 *
 * Env: BENCH_SEARCH_MESSAGES (10000,100000), BENCH_DATABASES (embedded,postgres), BENCH_SEARCH_RUNS
 * (15), BENCH_POSTGRES_URL (a server URL whose user may create databases; default
 * postgresql://postgres@127.0.0.1:5432/postgres).
 */
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startApp, type RunningApp } from '../src/app.js';
import { mintJwt } from '../src/auth/jwt.service.js';
import { loadConfig } from '../src/config/config.js';
import { createEmbeddedDatabase } from '../src/database/embedded-database.js';
import { openDatabase } from '../src/database/database.js';
import { applyMigrations, defaultMigrationsDir } from '../src/database/migrator.js';
import { openPostgresSession, pgliteSession, type SqlSession } from '../src/database/sql-session.js';
import { generateDemoConversations } from '../src/demo/demo-conversations.js';
import { createLogger } from '../src/logging/logger.js';

const sizes = (process.env.BENCH_SEARCH_MESSAGES ?? '10000,100000').split(',').map(Number);
const kinds = (process.env.BENCH_DATABASES ?? 'embedded,postgres').split(',') as Array<'embedded' | 'postgres'>;
const runs = Number(process.env.BENCH_SEARCH_RUNS ?? 15);
const postgresServerUrl = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const MIGRATION = 'messages_content_trigram';
const MESSAGES_PER_CONVERSATION = 20;
const logger = createLogger('warn');
const jwtSecret = randomBytes(32).toString('hex');

const TEXTS = [...new Set(generateDemoConversations({ count: 300 }).flatMap((conversation) => (conversation.messages ?? []).map((message) => message.content)))];
// Built from the corpus' own words, so its trigrams are common ones; in no message.
const MISS = TEXTS.slice(0, 40).join(' ').split(/\s+/).reverse().join(' ').slice(0, 200);
const HIT = 'Protocolo de atendimento 7Q4-ZX9: o cliente pediu a segunda via do boleto com vencimento alterado para o dia 15 e confirmou o endereço de cobrança na Rua das Palmeiras, 1200, apartamento 301. Obrigado!'.slice(0, 200);
const COMMON = 'obrigad';
const SEARCH = 'query($text: String) { conversations(first: 20, filter: { text: $text }) { totalCount edges { node { id } } } }';

/** The migrations, without the trigram index ("before") or all of them ("after"). */
async function migrationsDir(withIndex: boolean, scratch: string): Promise<string> {
  if (withIndex) return defaultMigrationsDir;
  const directory = path.join(scratch, 'migrations-before');
  for (const name of await readdir(defaultMigrationsDir)) {
    if (!name.endsWith(`_${MIGRATION}`)) await cp(path.join(defaultMigrationsDir, name), path.join(directory, name), { recursive: true });
  }
  return directory;
}

interface Instance {
  app: RunningApp;
  url: string;
  /** Statistics as autovacuum leaves them (PostgreSQL) or the embedded database's schedule. */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

async function start(kind: 'embedded' | 'postgres', withIndex: boolean, scratch: string): Promise<Instance> {
  const migrations = await migrationsDir(withIndex, scratch);
  const base = { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', JWT_SECRET: jwtSecret, WORKER_ENABLED: 'false', MIGRATE_ON_START: 'false', RATE_LIMIT_PER_MINUTE: '100000000', LOG_LEVEL: 'warn' };
  let config;
  let dropDatabase = async () => {};
  let url = '';
  if (kind === 'embedded') {
    const dataDir = await mkdtemp(path.join(scratch, 'data-'));
    const pglite = await createEmbeddedDatabase(path.join(dataDir, 'pglite'));
    await applyMigrations(pgliteSession(pglite), logger, migrations);
    await pglite.close();
    config = loadConfig({ ...base, DATA_DIR: dataDir });
  } else {
    const name = `alma_bench_search_${process.pid}_${withIndex ? 'after' : 'before'}`;
    const admin = new pg.Client({ connectionString: postgresServerUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const target = new URL(postgresServerUrl);
    target.pathname = `/${name}`;
    url = target.toString();
    const session = await openPostgresSession(url);
    await applyMigrations(session, logger, migrations);
    await session.close();
    config = loadConfig({ ...base, DATABASE_URL: url });
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: postgresServerUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name}`);
      await client.end();
    };
  }
  const database = await openDatabase(config.database, logger);
  const app = await startApp(config, logger, { database });
  return {
    app,
    url: `http://127.0.0.1:${app.port}`,
    async refresh() {
      if (kind === 'embedded') {
        await database.refreshStatistics();
        return;
      }
      const session: SqlSession = await openPostgresSession(url);
      await session.exec('VACUUM (ANALYZE) conversations, messages');
      await session.close();
    },
    async close() {
      await app.stop();
      await dropDatabase();
    },
  };
}

async function graphql<Data = any>(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<Data> {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: Data; errors?: Array<{ message: string }> };
  if (body.errors?.length) throw new Error(body.errors.map((error) => error.message).join('; '));
  return body.data as Data;
}

/** One organization with `messages` messages (and the HIT one in a conversation of its own). */
async function fill(instance: Instance, messages: number) {
  const admin = { authorization: `Bearer ${mintJwt({ role: 'admin', subject: 'bench-admin' }, { secret: jwtSecret })}` };
  const { createOrganization } = await graphql(instance.url, 'mutation { createOrganization(input: { name: "search bench" }) { id } }', {}, admin);
  const { createApiKey } = await graphql(instance.url, 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input: { organizationId: createOrganization.id, name: 'bench', scopes: ['READ', 'INGEST'] } }, admin);
  const scope = instance.app.database.forOrganization(createOrganization.id);
  const conversations = Math.ceil(messages / MESSAGES_PER_CONVERSATION);
  await scope.query(
    `INSERT INTO conversations (alma_internal_organization, channel, origin, external_id, started_at)
     SELECT $1, 'VOICE', 'bench', 'search-' || g, '2026-10-01T00:00:00Z'::timestamptz + g * interval '1 minute' FROM generate_series(1, $2::int) g`,
    [conversations],
  );
  await scope.query(
    `INSERT INTO messages (alma_internal_organization, conversation_uuid, sender_role, turn_sequence_number, content, channel, origin)
     SELECT $1, c.uuid, CASE WHEN g % 2 = 0 THEN 'AGENT'::sender_role ELSE 'USER'::sender_role END, g,
            $2::jsonb ->> ((substr(c.external_id, 8)::int * ${MESSAGES_PER_CONVERSATION} + g) % $3::int), 'VOICE', 'bench'
     FROM conversations c, generate_series(0, ${MESSAGES_PER_CONVERSATION - 1}) g WHERE c.alma_internal_organization = $1 AND c.origin = 'bench'`,
    [JSON.stringify(TEXTS), TEXTS.length],
  );
  const headers = { 'x-api-key': createApiKey.secret as string };
  await graphql(instance.url, 'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { created } }', {
    input: { externalId: 'hit', channel: 'CHAT', messages: [{ sequence: 0, senderRole: 'USER', content: `Resumo: ${HIT}` }] },
  }, headers);
  await instance.refresh();
  return headers;
}

async function median(url: string, headers: Record<string, string>, text: string): Promise<{ ms: number; found: number }> {
  let found = 0;
  for (let warm = 0; warm < 2; warm++) found = (await graphql(url, SEARCH, { text }, headers)).conversations.totalCount;
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await graphql(url, SEARCH, { text }, headers);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, found };
}

const scratch = await mkdtemp(path.join(os.tmpdir(), 'alma-bench-search-'));
const rows: string[] = [];
try {
  for (const kind of kinds) {
    for (const size of sizes) {
      const result: Record<string, Record<'before' | 'after', { ms: number; found: number }>> = {};
      for (const withIndex of [false, true]) {
        const instance = await start(kind, withIndex, scratch);
        try {
          const headers = await fill(instance, size);
          for (const [label, text] of [['200-char, no match', MISS], ['200-char, 1 match', HIT], [`common word "${COMMON}"`, COMMON]] as const) {
            (result[label] ??= {} as never)[withIndex ? 'after' : 'before'] = await median(instance.url, headers, text);
          }
        } finally {
          await instance.close();
        }
      }
      for (const [label, { before, after }] of Object.entries(result)) {
        if (before.found !== after.found) throw new Error(`${label}: ${before.found} conversations before, ${after.found} after`);
        const row = `| ${kind} | ${size.toLocaleString('en')} | ${label} | ${before.found} | ${before.ms.toFixed(1)} | ${after.ms.toFixed(1)} | ${(before.ms / after.ms).toFixed(1)}× |`;
        rows.push(row);
        console.log(row);
      }
    }
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}
console.log(['', '| database | messages | search | conversations found | before (ms, median) | after (ms, median) | before / after |', '|---|---|---|---|---|---|---|', ...rows].join('\n'));
