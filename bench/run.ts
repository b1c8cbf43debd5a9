/**
 * `npm run bench` — the benchmark: loads (or reuses) a realistic dataset in PostgreSQL, starts the
 * real app in this process with every SQL statement counted, drives it with autocannon from a
 * child process, and times the hand-written SQL for the same answers on the same data.
 * Settings: bench/README.md. Results: a table on stdout and bench/results/latest.json.
 */
import './production-env.js';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { DATASET_NOW, describeSizes, prepareDataset, type DatasetInfo } from './dataset.js';
import { ingestBatches, ingestBody, INGEST_ORIGIN, RUN_PLACEHOLDER } from './ingest-bodies.js';
import { runLoad, type LoadResult } from './load.js';
import { body, DASHBOARD_QUERY, DETAIL_QUERY, DISPOSITION_QUERY, OVERVIEW_QUERY } from './queries.js';
import { Prng } from './prng.js';
import { convertConversation, IdSource, type Resolver } from './rows.js';
import { startBenchServer, type BenchServer } from './server.js';
import { DASHBOARD_STATEMENTS, dashboardSql, DETAIL_STATEMENTS, detailSql, dispositionSql, ingestSql, overviewSql, sqlThroughput, timeRuns, type Timing } from './sql.js';
import { ArraySink, unnestInsert } from './tables.js';
import { differences, dispositionFromApi, overviewFromApi, sqlDispositionRows } from './verify.js';
import { runPeerComparison } from './peer/compare.js';
import { renderTable, type ScenarioReport } from './report.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const env = process.env;
const int = (name: string, fallback: number) => {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name} must be a positive number`);
  return Math.round(parsed);
};

const settings = {
  databaseUrl: env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/alma_bench',
  conversations: int('BENCH_CONVERSATIONS', 100_000),
  seed: int('BENCH_SEED', 20_261_101),
  reload: env.BENCH_RELOAD === '1' || env.BENCH_RELOAD === 'true',
  durationSeconds: int('BENCH_DURATION', 10),
  warmupSeconds: int('BENCH_WARMUP', 2),
  connections: int('BENCH_CONNECTIONS', 16),
  analyticsConnections: int('BENCH_ANALYTICS_CONNECTIONS', 4),
  ingestConnections: int('BENCH_INGEST_CONNECTIONS', 4),
  singleRequests: int('BENCH_SINGLE_REQUESTS', 30),
  sqlRuns: int('BENCH_SQL_RUNS', 30),
  poolSize: int('BENCH_POOL_SIZE', 10),
  peer: env.BENCH_PEER || null,
  scenarios: env.BENCH_SCENARIOS ? env.BENCH_SCENARIOS.split(',').map((name) => name.trim()).filter(Boolean) : null,
  results: env.BENCH_RESULTS || path.join(here, 'results', 'latest.json'),
};

const log = (line: string) => console.log(line);
const RANGE = { from: new Date(DATASET_NOW.getTime() - 30 * 86_400_000), to: DATASET_NOW };
const INGEST_PER_REQUEST = 100;

// ───────────── helpers ─────────────

async function sqlClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: settings.databaseUrl });
  await client.connect();
  return client;
}

/**
 * Deletes every scratch (ingest) organization and its rows; they are the benchmark's own writes.
 * Every dependent table is emptied explicitly, children first, with foreign-key triggers off
 * (a superuser setting, as for the load): with them on, each deleted message is checked against
 * agent_actions.message_uuid, which has no index — a sequential scan of agent_actions per message
 * (see bench/README.md) — and deleting a run's ~100k messages takes many minutes.
 */
async function deleteScratchOrganizations(client: pg.Client): Promise<number> {
  const orgs = await client.query<{ uuid: string }>(`SELECT uuid FROM organizations WHERE meta_data ->> 'benchScratch' = 'true'`);
  if (!orgs.rowCount) return 0;
  const ids = orgs.rows.map((row) => row.uuid);
  const order = [
    'follow_ups', 'disposition_values', 'events', 'analytics', 'agent_actions', 'messages', 'tickets', 'transfers', 'conversation_participants',
    'conversation_agents', 'conversation_metrics', 'jobs', 'webhook_delivery_attempts', 'webhook_deliveries', 'webhook_endpoints', 'conversations',
    'analysis_configs', 'agents', 'contacts',
  ];
  await client.query('BEGIN');
  try {
    await client.query('SET LOCAL session_replication_role = replica');
    for (const table of order) await client.query(`DELETE FROM "${table}" WHERE alma_internal_organization = ANY($1::uuid[])`, [ids]);
    await client.query('DELETE FROM "authorization" WHERE organization_uuid = ANY($1::uuid[])', [ids]);
    await client.query('DELETE FROM organizations WHERE uuid = ANY($1::uuid[])', [ids]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  for (const table of ['messages', 'conversations', 'conversation_agents', 'conversation_participants', 'agent_actions', 'events', 'follow_ups', 'tickets', 'transfers', 'jobs', 'agents', 'contacts']) {
    await client.query(`VACUUM (ANALYZE) "${table}"`);
  }
  return ids.length;
}

function gitInfo(): { commit: string | null; dirty: boolean | null } {
  try {
    const options = { cwd: here, encoding: 'utf8' as const, stdio: ['ignore', 'pipe', 'ignore'] as Array<'ignore' | 'pipe'> };
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], options).trim();
    const status = execFileSync('git', ['status', '--porcelain'], options).trim();
    return { commit, dirty: status.length > 0 };
  } catch {
    // Not a git checkout (e.g. a `git archive` export): the caller may say which commit it is.
    return { commit: env.BENCH_GIT_COMMIT ?? null, dirty: null };
  }
}

export interface DbActivity {
  samples: number;
  /** Average number of this database's active backends (statements running) per sample. */
  activeBackends: number;
  /** Share of active-backend samples per wait event ('CPU' = running, no wait). */
  waits: Record<string, number>;
  /** The statements seen waiting for a lock, most frequent first (start of the text). */
  lockedStatements: Array<{ statement: string; samples: number }>;
}

/**
 * Samples pg_stat_activity every 100 ms while `work` runs: what the database's backends were
 * doing (on CPU, waiting for a lock, for I/O…) — evidence for where a scenario's time goes.
 */
async function withDbActivity<T>(work: Promise<T>): Promise<{ result: T; activity: DbActivity }> {
  const client = await sqlClient();
  const counts = new Map<string, number>();
  const locked = new Map<string, number>();
  let samples = 0;
  let active = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      const rows = await client.query<{ wait: string; statement: string | null; n: number }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS wait,
                CASE WHEN wait_event_type = 'Lock' THEN left(regexp_replace(query, '\\s+', ' ', 'g'), 160) END AS statement,
                count(*)::int AS n
         FROM pg_stat_activity
         WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() GROUP BY 1, 2`,
      );
      samples++;
      for (const row of rows.rows) {
        counts.set(row.wait, (counts.get(row.wait) ?? 0) + row.n);
        if (row.statement) locked.set(row.statement, (locked.get(row.statement) ?? 0) + row.n);
        active += row.n;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  try {
    const result = await work;
    return {
      result,
      activity: {
        samples,
        activeBackends: samples ? Math.round((active / samples) * 100) / 100 : 0,
        waits: Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]).map(([wait, n]) => [wait, Math.round((n / Math.max(1, active)) * 1000) / 1000])),
        lockedStatements: [...locked].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([statement, n]) => ({ statement, samples: n })),
      },
    };
  } finally {
    running = false;
    await sampler.catch(() => {});
    await client.end();
  }
}

const describeActivity = (activity: DbActivity) =>
  `database: ${activity.activeBackends} active backends on average; ${Object.entries(activity.waits).slice(0, 4).map(([wait, share]) => `${wait} ${Math.round(share * 100)}%`).join(', ')}` +
  (activity.lockedStatements[0] ? `\n  most often waiting for a lock: ${activity.lockedStatements[0].statement}…` : '');

const ms = (value: number | null | undefined) => (value === null || value === undefined ? null : Math.round(value * 100) / 100);

interface ReadScenario {
  name: string;
  title: string;
  connections: number;
  headers: Record<string, string>;
  bodies: string[];
  /** The hand-written SQL (one run = the whole answer for one request). */
  sql: { statements: number; run: (client: pg.Client, iteration: number) => Promise<unknown> };
  /** Compares the API's answer (data of the first body) with the SQL's (first run). */
  verify: (data: any, sql: any) => string[];
  target?: { text: string; check: (report: ScenarioReport) => boolean };
}

/** Sends `count` requests one at a time and returns statements per request and the first answer. */
async function sequential(server: BenchServer, scenarioBodies: string[], headers: Record<string, string>, count: number) {
  const perRequest: number[] = [];
  let first: any = null;
  for (let i = 0; i < count; i++) {
    const { query, variables } = JSON.parse(scenarioBodies[i % scenarioBodies.length]!) as { query: string; variables: Record<string, unknown> };
    const before = server.statements();
    const response = await server.graphql(query, variables, headers);
    perRequest.push(server.statements() - before);
    if (response.status !== 200 || response.errors?.length || !response.data) {
      const error = new Error(`HTTP ${response.status}: ${response.errors?.map((e) => `${e.message} (${String(e.extensions?.code)})`).join('; ') ?? 'no data'}`);
      (error as Error & { graphqlErrors?: unknown }).graphqlErrors = response.errors;
      throw error;
    }
    if (i === 0) first = { data: response.data, bytes: response.bytes };
  }
  return { statements: perRequest, first };
}

function isMissingApi(error: unknown): boolean {
  const errors = (error as { graphqlErrors?: Array<{ message: string; extensions?: Record<string, unknown> }> }).graphqlErrors ?? [];
  return errors.some((e) => /Cannot query field|Unknown type|Unknown argument/.test(e.message));
}

async function runReadScenario(server: BenchServer, scenario: ReadScenario, sql: pg.Client): Promise<ScenarioReport> {
  log(`\n▶ ${scenario.name}: ${scenario.title}`);
  const base: ScenarioReport = {
    name: scenario.name, title: scenario.title, status: 'ok', connections: scenario.connections, durationSeconds: settings.durationSeconds,
  };
  let check;
  try {
    check = await sequential(server, scenario.bodies, scenario.headers, 3);
  } catch (error) {
    if (isMissingApi(error)) {
      log(`  skipped: API not available (${(error as Error).message})`);
      return { ...base, status: 'skipped', note: 'skipped: API not available' };
    }
    throw error;
  }
  const statements = check.statements.reduce((sum, n) => sum + n, 0) / check.statements.length;
  log(`  one request: ${statements.toFixed(1)} SQL statements (${check.statements.join(', ')}), response ${(check.first.bytes / 1024).toFixed(0)} KB, no errors`);
  const job = { url: `${server.url}/graphql`, timeoutSeconds: 30, headers: scenario.headers, bodies: { kind: 'fixed' as const, bodies: scenario.bodies } };
  await runLoad({ ...job, connections: scenario.connections, durationSeconds: settings.warmupSeconds });
  const { result: load, activity } = await withDbActivity(runLoad({ ...job, connections: scenario.connections, durationSeconds: settings.durationSeconds }));
  logLoad(load);
  log(`  ${describeActivity(activity)}`);
  const single = await runLoad({ ...job, connections: 1, amount: settings.singleRequests });
  log(`  1 connection: p50 ${ms(single.latency.p50)} ms, p95 ${ms(single.latency.p95)} ms over ${single.requests} requests`);
  let sqlAnswer: unknown = null;
  const timing = await timeRuns(3, settings.sqlRuns, async (iteration) => {
    const answer = await scenario.sql.run(sql, iteration);
    if (iteration === 0) sqlAnswer = answer;
  });
  const diffs = scenario.verify(check.first.data, sqlAnswer);
  log(`  SQL: p50 ${timing.p50.toFixed(2)} ms, p95 ${timing.p95.toFixed(2)} ms (${scenario.sql.statements} statements, ${timing.runs} runs); same answer as the API: ${diffs.length ? `NO — ${diffs.slice(0, 3).join('; ')}` : 'yes'}`);
  const throughput = await sqlThroughput(settings.databaseUrl, scenario.connections, Math.max(2, Math.round(settings.durationSeconds / 2)), scenario.sql.run);
  log(`  SQL at ${throughput.connections} connections: ${throughput.perSecond} answers/s (API: ${load.requestsPerSecond.toFixed(1)} req/s)`);
  const report = fillReport(base, load, single, statements, timing, scenario.sql.statements, diffs);
  report.sql!.throughput = throughput;
  report.dbActivity = activity;
  if (scenario.target) finishTarget(report, scenario.target);
  return report;
}

function logLoad(load: LoadResult) {
  const failures = load.errors + load.timeouts + load.non2xx + load.mismatches;
  log(
    `  ${load.connections} connections, ${load.durationSeconds.toFixed(1)} s: ${load.requestsPerSecond.toFixed(1)} req/s, ` +
      `p50 ${ms(load.latency.p50)} ms, p95 ${ms(load.latency.p95)} ms, p99 ${ms(load.latency.p99)} ms, failures ${failures}` +
      (failures ? ` (errors ${load.errors}, timeouts ${load.timeouts}, non-2xx ${load.non2xx}, GraphQL errors ${load.mismatches})` : ''),
  );
}

function fillReport(base: ScenarioReport, load: LoadResult, single: LoadResult, statements: number, timing: Timing, sqlStatements: number, diffs: string[]): ScenarioReport {
  return {
    ...base,
    durationSeconds: Math.round(load.durationSeconds * 10) / 10,
    requests: load.requests,
    requestsPerSecond: Math.round(load.requestsPerSecond * 10) / 10,
    latencyMs: { p50: ms(load.latency.p50)!, p95: ms(load.latency.p95), p99: ms(load.latency.p99)!, mean: ms(load.latency.mean)!, max: ms(load.latency.max)! },
    failures: { errors: load.errors, timeouts: load.timeouts, non2xx: load.non2xx, graphqlErrors: load.mismatches },
    statementsPerRequest: Math.round(statements * 10) / 10,
    singleConnection: { requests: single.requests, p50: ms(single.latency.p50)!, p95: ms(single.latency.p95), mean: ms(single.latency.mean)! },
    sql: { statements: sqlStatements, runs: timing.runs, p50: ms(timing.p50)!, p95: ms(timing.p95)!, mean: ms(timing.mean)! },
    ratio: { basis: 'API p50 at 1 connection ÷ SQL p50 (1 connection, sequential)', value: Math.round((single.latency.p50 / timing.p50) * 100) / 100 },
    sameAnswer: diffs.length === 0,
    differences: diffs.slice(0, 5),
  };
}

function finishTarget(report: ScenarioReport, target: { text: string; check: (report: ScenarioReport) => boolean }) {
  report.target = target.text;
  report.pass = target.check(report);
  log(`  target ${target.text}: ${report.pass ? 'PASS' : 'MISS'}`);
}

// ───────────── ingest ─────────────

async function runIngestScenario(server: BenchServer, sql: pg.Client, runTag: string): Promise<ScenarioReport> {
  const name = 'ingest-100x20';
  const title = `ingestConversations: ${INGEST_PER_REQUEST} new conversations × ~20 messages per request (scratch organization)`;
  log(`\n▶ ${name}: ${title}`);
  const base: ScenarioReport = { name, title, status: 'ok', connections: settings.ingestConnections, durationSeconds: settings.durationSeconds };
  const admin = { authorization: `Bearer ${server.adminToken}` };
  const created = await server.graphql<{ createOrganization: { id: string } }>(
    'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
    { input: { name: `bench ingest scratch ${runTag}`, metaData: { benchScratch: true } } },
    admin,
  );
  if (!created.data) throw new Error(`createOrganization failed: ${JSON.stringify(created.errors)}`);
  const organizationId = created.data.createOrganization.id;
  const key = await server.graphql<{ createApiKey: { secret: string } }>(
    'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
    { input: { organizationId, name: 'bench ingest', scopes: ['INGEST', 'READ'] } },
    admin,
  );
  if (!key.data) throw new Error(`createApiKey failed: ${JSON.stringify(key.errors)}`);
  const headers = { 'x-api-key': key.data.createApiKey.secret };
  const pool = 8;
  const seed = settings.seed + 7;
  const batches = ingestBatches(seed, pool, INGEST_PER_REQUEST);
  const messagesPerRequest = batches.reduce((sum, batch) => sum + batch.messages, 0) / batches.length;

  // One request by itself: no item errors, and the statements it costs.
  const check = ingestBody(batches[0]!).replaceAll(RUN_PLACEHOLDER, `${runTag}-check`);
  const { query, variables } = JSON.parse(check) as { query: string; variables: Record<string, unknown> };
  const before = server.statements();
  const started = performance.now();
  const response = await server.graphql<{ ingestConversations: Array<{ error: { message: string } | null; created: boolean | null }> }>(query, variables, headers);
  const oneRequestMs = performance.now() - started;
  const statements = server.statements() - before;
  const items = response.data?.ingestConversations ?? [];
  const failed = items.filter((item) => item.error);
  if (response.errors?.length || items.length !== INGEST_PER_REQUEST || failed.length) {
    throw new Error(`ingest check failed: ${JSON.stringify(response.errors ?? failed.slice(0, 3))}`);
  }
  log(`  one request (${batches[0]!.messages} messages): ${oneRequestMs.toFixed(0)} ms, ${statements} SQL statements (${(statements / INGEST_PER_REQUEST).toFixed(1)} per conversation), every item created`);

  const job = {
    url: `${server.url}/graphql`,
    timeoutSeconds: 300,
    headers,
    bodies: { kind: 'ingest' as const, seed, pool, conversationsPerRequest: INGEST_PER_REQUEST, runTag: `${runTag}-load` },
  };
  // A request takes seconds on a slow path and milliseconds on a fast one: run a number of requests
  // sized from the check request (≈ BENCH_DURATION at that speed), all of which complete, rather
  // than a duration that could end with most requests still in flight.
  const amount = Math.min(2000, Math.max(2 * settings.ingestConnections, Math.round((settings.durationSeconds * 1000 * settings.ingestConnections) / Math.max(1, oneRequestMs))));
  await runLoad({ ...job, connections: settings.ingestConnections, amount: settings.ingestConnections, bodies: { ...job.bodies, runTag: `${runTag}-warm` } });
  const { result: load, activity } = await withDbActivity(runLoad({ ...job, connections: settings.ingestConnections, amount }));
  logLoad(load);
  log(`  ${describeActivity(activity)}`);
  const messagesPerSecond = load.requestsPerSecond * messagesPerRequest;
  log(`  ${Math.round(messagesPerSecond).toLocaleString('en-US')} messages/s (${load.requestsPerSecond.toFixed(2)} req/s × ${messagesPerRequest.toFixed(1)} messages per request)`);
  const single = await runLoad({ ...job, connections: 1, amount: 3, bodies: { ...job.bodies, runTag: `${runTag}-single` } });
  log(`  1 connection: p50 ${ms(single.latency.p50)} ms over ${single.requests} requests`);
  const stored = await sql.query<{ conversations: number; messages: number }>(
    `SELECT (SELECT count(*)::int FROM conversations WHERE alma_internal_organization = $1) AS conversations,
            (SELECT count(*)::int FROM messages WHERE alma_internal_organization = $1) AS messages`,
    [organizationId],
  );
  log(`  scratch organization now holds ${stored.rows[0]!.conversations.toLocaleString('en-US')} conversations, ${stored.rows[0]!.messages.toLocaleString('en-US')} messages`);

  // The same rows with plain set-based SQL: upsert the batch's agents and contacts, then one
  // INSERT … SELECT FROM unnest per table, in one transaction.
  const concurrentBatches = settings.ingestConnections * 6;
  const sqlBatches = ingestBatches(seed + 1, 5 + settings.sqlRuns + concurrentBatches, INGEST_PER_REQUEST);
  const ids = new IdSource(Date.now(), settings.seed);
  const now = new Date();
  const agentRows = new Map<string, unknown[]>();
  const contactRows = new Map<string, unknown[]>();
  for (const batch of sqlBatches) {
    for (const command of batch.commands) {
      for (const agent of command.agents ?? []) {
        agentRows.set(agent.externalId, [organizationId, ids.next('agents'), agent.name ?? null, agent.email ?? null, agent.phoneNumber ?? null, agent.otherInfo ?? null, agent.internal ?? true, INGEST_ORIGIN, agent.externalId, now, now]);
      }
      for (const contact of command.contacts ?? []) {
        contactRows.set(contact.externalId, [organizationId, ids.next('contacts'), contact.name ?? null, contact.email ?? null, contact.phoneNumber ?? null, contact.externalId, contact.identifier ?? null, contact.priority ?? null, contact.doNotDisturb ?? false, contact.source ?? null, contact.sourceFile ?? null, contact.metaData ?? null, INGEST_ORIGIN, contact.externalCreatedAt ?? null, contact.externalUpdatedAt ?? null, now, now]);
      }
    }
  }
  const upsertsFor = (agents: unknown[][], contacts: unknown[][]) => [
    unnestInsert('agents', agents, `ON CONFLICT (alma_internal_organization, origin, external_id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email,
       phone_number = EXCLUDED.phone_number, other_info = EXCLUDED.other_info, updated_at = EXCLUDED.updated_at RETURNING uuid, external_id`),
    unnestInsert('contacts', contacts, `ON CONFLICT (alma_internal_organization, origin, external_id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email,
       phone_number = EXCLUDED.phone_number, updated_at = EXCLUDED.updated_at RETURNING uuid, external_id`),
  ];
  const resolved = new Map<string, string>();
  for (const upsert of upsertsFor([...agentRows.values()], [...contactRows.values()])) {
    const result = await sql.query<{ uuid: string; external_id: string }>(upsert.text, upsert.values);
    for (const row of result.rows) resolved.set(row.external_id, row.uuid);
  }
  const resolver: Resolver = {
    organizationId,
    config: null,
    agent: (external) => resolved.get(external)!,
    contact: (contact) => resolved.get(contact.externalId)!,
  };
  const prepared = sqlBatches.map((batch, b) => {
    const sink = new ArraySink();
    batch.commands.forEach((command, k) => {
      convertConversation(sink, ids, resolver, command, { satisfaction: null, callback: null, callbackTime: null, product: null }, {
        externalId: `sql-${runTag}-${b}-${k}`, shiftMs: 0, keepOngoing: true, analyses: false, reanalyzed: false, nowMs: Date.now(), rng: new Prng(b * 1000 + k),
      });
    });
    const agents = [...new Map(batch.commands.flatMap((command) => (command.agents ?? []).map((agent) => [agent.externalId, agentRows.get(agent.externalId)!] as const))).values()];
    const contacts = [...new Map(batch.commands.flatMap((command) => (command.contacts ?? []).map((contact) => [contact.externalId, contactRows.get(contact.externalId)!] as const))).values()];
    return { sink, upserts: upsertsFor(agents, contacts), messages: batch.messages };
  });
  let sqlStatements = 0;
  const timing = await timeRuns(5, settings.sqlRuns, async (iteration) => {
    const batch = prepared[iteration]!;
    sqlStatements = await ingestSql(sql, batch.sink, batch.upserts);
  });
  const sqlMessagesPerSecond = (prepared.reduce((sum, batch) => sum + batch.messages, 0) / prepared.length / timing.p50) * 1000;
  log(`  SQL: p50 ${timing.p50.toFixed(1)} ms, p95 ${timing.p95.toFixed(1)} ms per batch of ${INGEST_PER_REQUEST} (${sqlStatements} statements) — ${Math.round(sqlMessagesPerSecond).toLocaleString('en-US')} messages/s on 1 connection`);
  // The database's ceiling for these rows: the remaining batches on as many connections as the
  // API had, inserts only (agents and contacts exist; upserting them in every batch would make
  // the batches wait for each other's row locks, as the API's do).
  const queue = prepared.slice(5 + settings.sqlRuns);
  const clients = await Promise.all(Array.from({ length: settings.ingestConnections }, async () => sqlClient()));
  const concurrentStarted = performance.now();
  let concurrentMessages = 0;
  try {
    await Promise.all(
      clients.map(async (client) => {
        for (let batch = queue.shift(); batch; batch = queue.shift()) {
          await ingestSql(client, batch.sink, []);
          concurrentMessages += batch.messages;
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
  const concurrentSeconds = (performance.now() - concurrentStarted) / 1000;
  const sqlConcurrentMessagesPerSecond = concurrentMessages / concurrentSeconds;
  log(`  SQL at ${settings.ingestConnections} connections (inserts only): ${Math.round(sqlConcurrentMessagesPerSecond).toLocaleString('en-US')} messages/s (${concurrentBatches} batches in ${concurrentSeconds.toFixed(1)} s)`);
  const report = fillReport(base, load, single, statements, timing, sqlStatements, []);
  report.sameAnswer = null;
  report.dbActivity = activity;
  report.ingest = {
    conversationsPerRequest: INGEST_PER_REQUEST,
    messagesPerRequest: Math.round(messagesPerRequest * 10) / 10,
    messagesPerSecond: Math.round(messagesPerSecond),
    oneRequestMs: Math.round(oneRequestMs),
    sqlMessagesPerSecondOneConnection: Math.round(sqlMessagesPerSecond),
    sqlMessagesPerSecondConcurrent: Math.round(sqlConcurrentMessagesPerSecond),
  };
  finishTarget(report, { text: 'ingest ≥ 50,000 messages/s', check: (r) => (r.ingest?.messagesPerSecond ?? 0) >= 50_000 });
  return report;
}

// ───────────── main ─────────────

async function main() {
  const runStarted = performance.now();
  const runTag = randomBytes(4).toString('hex');
  log(`Alma Analytics benchmark — ${os.cpus().length} CPUs, Node ${process.version}, database ${new URL(settings.databaseUrl).pathname.slice(1)}`);
  log(`(other work on this machine shares its 2 cores with the server, PostgreSQL and the load generator: numbers are noisy)\n`);
  const dataset: DatasetInfo = await prepareDataset({
    databaseUrl: settings.databaseUrl, seed: settings.seed, conversations: settings.conversations, reload: settings.reload, log,
  });
  const sql = await sqlClient();
  const removed = await deleteScratchOrganizations(sql);
  if (removed) log(`removed ${removed} scratch organization(s) of earlier runs`);
  const postgresVersion = (await sql.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  const org = [...dataset.orgs].sort((a, b) => b.conversations - a.conversations)[0]!;
  const busiestAgent = (
    await sql.query<{ agent_uuid: string; name: string; n: number }>(
      `SELECT ca.agent_uuid, a.name, count(DISTINCT ca.conversation_uuid)::int AS n
       FROM conversations c
       JOIN conversation_agents ca ON ca.alma_internal_organization = c.alma_internal_organization AND ca.conversation_uuid = c.uuid
       JOIN agents a ON a.alma_internal_organization = ca.alma_internal_organization AND a.uuid = ca.agent_uuid
       WHERE c.alma_internal_organization = $1 AND c.started_at >= $2 AND c.started_at < $3
       GROUP BY ca.agent_uuid, a.name ORDER BY n DESC, ca.agent_uuid LIMIT 1`,
      [org.id, RANGE.from, RANGE.to],
    )
  ).rows[0]!;
  const detailIds = (
    await sql.query<{ uuid: string }>(
      `SELECT uuid FROM conversations WHERE alma_internal_organization = $1 ORDER BY md5(uuid::text) LIMIT 50`,
      [org.id],
    )
  ).rows.map((row) => row.uuid);
  const inRange = (
    await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM conversations WHERE alma_internal_organization = $1 AND started_at >= $2 AND started_at < $3', [org.id, RANGE.from, RANGE.to])
  ).rows[0]!.n;
  log(`organization under test: ${org.name} — ${org.conversations.toLocaleString('en-US')} conversations, ${inRange.toLocaleString('en-US')} in the last 30 days; agent filter: ${busiestAgent.name} (${busiestAgent.n} conversations in range)`);

  const server = await startBenchServer(settings.databaseUrl, settings.poolSize);
  log(`server: http://127.0.0.1:${server.app.port} (NODE_ENV=production, pool ${settings.poolSize}, worker off); load generator: autocannon 9 in a child process`);
  const member = { authorization: `Bearer ${server.memberToken(org.id)}` };
  const range = { from: RANGE.from.toISOString(), to: RANGE.to.toISOString() };
  const readScenarios: ReadScenario[] = [
    {
      name: 'dashboard',
      title: 'conversations(first: 50) with messages(first: 20), agents, events, analyses',
      connections: settings.connections,
      headers: member,
      bodies: [body(DASHBOARD_QUERY, { first: 50, messages: 20 })],
      sql: { statements: DASHBOARD_STATEMENTS, run: (client) => dashboardSql(client, org.id, 50, 20) },
      verify: (data, answer) => {
        const edges = data.conversations.edges as Array<{ node: any }>;
        const api = {
          ids: edges.map((edge) => edge.node.id),
          totalCount: data.conversations.totalCount,
          messages: edges.reduce((sum, edge) => sum + edge.node.messages.edges.length, 0),
          agents: edges.reduce((sum, edge) => sum + edge.node.agents.length, 0),
          events: edges.reduce((sum, edge) => sum + edge.node.events.length, 0),
          analyses: edges.reduce((sum, edge) => sum + edge.node.analyses.length, 0),
        };
        const { counts: _counts, ...sqlSide } = answer;
        return differences({ ...api, ids: api.ids.join(',') }, { ...sqlSide, ids: sqlSide.ids.join(',') });
      },
      target: { text: `dashboard p95 < 50 ms at ${settings.connections} connections`, check: (r) => r.latencyMs!.p95 !== null && r.latencyMs!.p95 < 50 },
    },
    {
      name: 'conversation-detail',
      title: 'conversation(id) with everything nested, rotating over 50 ids',
      connections: settings.connections,
      headers: member,
      bodies: detailIds.map((id) => body(DETAIL_QUERY, { id })),
      sql: { statements: DETAIL_STATEMENTS, run: (client, iteration) => detailSql(client, org.id, detailIds[iteration % detailIds.length]!) },
      verify: (data, answer) => {
        const c = data.conversation;
        return differences(
          {
            found: true, agents: c.agents.length, participants: c.participants.length, messages: c.messages.edges.length, messageCount: c.messages.totalCount,
            actions: c.actions.length, tickets: c.tickets.length, transfers: c.transfers.length, events: c.events.length, followUps: c.followUps.length,
            analyses: c.analyses.length, dispositionMetrics: c.dispositionMetrics.length, metrics: c.metrics ? 1 : 0,
          },
          answer,
        );
      },
    },
    {
      name: 'overview-30d',
      title: 'analyticsOverview, last 30 days, every section',
      connections: settings.analyticsConnections,
      headers: member,
      bodies: [body(OVERVIEW_QUERY, { range })],
      sql: { statements: 1, run: (client) => overviewSql(client, org.id, RANGE.from, RANGE.to, null) },
      verify: (data, answer) => differences(overviewFromApi(data.analyticsOverview), answer),
      target: { text: 'analyticsOverview ≤ 1.5× its SQL', check: (r) => r.ratio!.value <= 1.5 },
    },
    {
      name: 'overview-30d-agent',
      title: `analyticsOverview, last 30 days, filter { agentId } (${busiestAgent.name})`,
      connections: settings.analyticsConnections,
      headers: member,
      bodies: [body(OVERVIEW_QUERY, { range, filter: { agentId: busiestAgent.agent_uuid } })],
      sql: { statements: 1, run: (client) => overviewSql(client, org.id, RANGE.from, RANGE.to, busiestAgent.agent_uuid) },
      verify: (data, answer) => differences(overviewFromApi(data.analyticsOverview), answer),
      target: { text: 'analyticsOverview ≤ 1.5× its SQL', check: (r) => r.ratio!.value <= 1.5 },
    },
    {
      name: 'disposition-integer',
      title: 'dispositionMetricStats(satisfaction_1_to_5, INTEGER), groupBy BOTH (agent × day), last 30 days',
      connections: settings.analyticsConnections,
      headers: member,
      bodies: [body(DISPOSITION_QUERY, { identifier: 'satisfaction_1_to_5', range })],
      sql: { statements: 1, run: (client) => dispositionSql(client, org.id, 'satisfaction_1_to_5', 'INTEGER', RANGE.from, RANGE.to) },
      verify: (data, answer) => differences(dispositionFromApi(data.dispositionMetricStats, 'INTEGER'), sqlDispositionRows(answer)),
    },
    {
      name: 'disposition-enum',
      title: 'dispositionMetricStats(call_reason, ENUM), groupBy BOTH (agent × day), last 30 days',
      connections: settings.analyticsConnections,
      headers: member,
      bodies: [body(DISPOSITION_QUERY, { identifier: 'call_reason', range })],
      sql: { statements: 1, run: (client) => dispositionSql(client, org.id, 'call_reason', 'ENUM', RANGE.from, RANGE.to) },
      verify: (data, answer) => differences(dispositionFromApi(data.dispositionMetricStats, 'ENUM'), sqlDispositionRows(answer)),
    },
  ];

  const wanted = (name: string) => !settings.scenarios || settings.scenarios.some((filter) => name.startsWith(filter));
  const reports: ScenarioReport[] = [];
  try {
    for (const scenario of readScenarios) {
      if (!wanted(scenario.name)) continue;
      try {
        reports.push(await runReadScenario(server, scenario, sql));
      } catch (error) {
        log(`  FAILED: ${(error as Error).message}`);
        reports.push({ name: scenario.name, title: scenario.title, status: 'failed', connections: scenario.connections, durationSeconds: settings.durationSeconds, note: (error as Error).message });
      }
    }
    if (wanted('ingest-100x20')) {
      try {
        reports.push(await runIngestScenario(server, sql, runTag));
      } catch (error) {
        log(`  FAILED: ${(error as Error).stack}`);
        reports.push({ name: 'ingest-100x20', title: 'ingestConversations', status: 'failed', connections: settings.ingestConnections, durationSeconds: settings.durationSeconds, note: (error as Error).message });
      }
    }
  } finally {
    await server.stop();
  }
  const cleaned = await deleteScratchOrganizations(sql);
  if (cleaned) log(`\nremoved the scratch organization (ingested rows)`);
  await sql.end();

  const rows = Object.values(dataset.sizes).reduce((sum, count) => sum + count, 0);
  const git = gitInfo();
  const results = {
    generatedAt: new Date().toISOString(),
    totalSeconds: Math.round((performance.now() - runStarted) / 100) / 10,
    settings: { ...settings, databaseUrl: new URL(settings.databaseUrl).pathname.slice(1), results: undefined },
    machine: {
      cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, memoryGb: Math.round(os.totalmem() / 2 ** 30), loadAverage: os.loadavg(),
      node: process.version, postgres: postgresVersion, gitCommit: git.commit, gitDirty: git.dirty,
    },
    dataset: {
      fingerprint: dataset.fingerprint, sizes: dataset.sizes, rows, orgs: dataset.orgs, loadedAt: dataset.loadedAt,
      loadSeconds: dataset.loadSeconds, loadRowsPerSecond: dataset.loadSeconds ? Math.round(rows / dataset.loadSeconds) : null,
      organizationUnderTest: { id: org.id, name: org.name, conversations: org.conversations, conversationsInRange: inRange },
      range: { from: RANGE.from.toISOString(), to: RANGE.to.toISOString() },
      agentFilter: { id: busiestAgent.agent_uuid, name: busiestAgent.name, conversationsInRange: busiestAgent.n },
    },
    scenarios: reports,
  };
  await mkdir(path.dirname(settings.results), { recursive: true });
  await writeFile(settings.results, `${JSON.stringify(results, null, 2)}\n`);
  log(`\n${renderTable(reports)}`);
  log(`\ndataset: ${describeSizes(dataset.sizes)} (${rows.toLocaleString('en-US')} rows)${dataset.loadSeconds ? `, loaded in ${dataset.loadSeconds.toFixed(1)} s` : ''}`);
  log(`results: ${path.relative(process.cwd(), settings.results)} — total ${results.totalSeconds} s`);
  if (settings.peer) {
    if (settings.peer !== 'postgraphile') throw new Error(`BENCH_PEER=${settings.peer}: the only peer is postgraphile`);
    await runPeerComparison({ databaseUrl: settings.databaseUrl, poolSize: settings.poolSize, durationSeconds: settings.durationSeconds, warmupSeconds: settings.warmupSeconds });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
