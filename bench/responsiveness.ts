/**
 * `npm run bench:responsiveness`: the server as users run it (`node src/main.ts` in its own process,
 * its in-server worker on), on the embedded database and on PostgreSQL.
 *
 * 1. Responsiveness: 200 demo conversations, analysed; then `reanalyzeConversations` of all of them,
 *    and while it runs, back-to-back probes of `GET /healthz` and of a 10-conversation read:
 *    p50 / p99 latency of each.
 * 2. Throughput: 1,000 conversations ingested (with a webhook endpoint subscribed to
 *    `conversation.analysisCompleted`); conversations analysed per second end to end (first
 *    ingest → last webhook received), beside the local analyzer's own rate in one process on the
 *    same conversations.
 *
 * Env: BENCH_POSTGRES_URL (a server URL whose user may create databases; default
 * postgresql://postgres@127.0.0.1:5432/postgres), BENCH_DATABASES (embedded,postgres),
 * BENCH_RESPONSIVENESS_CONVERSATIONS (200), BENCH_THROUGHPUT_CONVERSATIONS (1000), BENCH_SERVER_NODE_ARGS, BENCH_SERVER_ROOT
 * (the checkout whose server is measured; default this one). WORKER_CONCURRENCY,
 * WORKER_POLL_INTERVAL_MS and ANALYSIS_THREADS pass through to the server.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadAnalysisInput } from '../src/analysis/analysis-input.js';
import { LocalAnalysisProvider } from '../src/analysis/providers/local/local-provider.js';
import { mintJwt } from '../src/auth/jwt.service.js';
import { openDatabase, type Database } from '../src/database/database.js';
import { generateDemoConversations } from '../src/demo/demo-conversations.js';
import { createLogger } from '../src/logging/logger.js';

// BENCH_SERVER_ROOT: another checkout's server (e.g. a baseline), driven by this bench.
const serverRoot = process.env.BENCH_SERVER_ROOT ?? fileURLToPath(new URL('..', import.meta.url));
const postgresServerUrl = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const databases = (process.env.BENCH_DATABASES ?? 'embedded,postgres').split(',') as Array<'embedded' | 'postgres'>;
const responsivenessCount = Number(process.env.BENCH_RESPONSIVENESS_CONVERSATIONS ?? 200);
const throughputCount = Number(process.env.BENCH_THROUGHPUT_CONVERSATIONS ?? 1000);
const jwtSecret = randomBytes(32).toString('hex');
const adminToken = mintJwt({ role: 'admin', subject: 'bench' }, { secret: jwtSecret }, 3600);
const logger = createLogger('warn');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Server {
  url: string;
  stop(): Promise<void>;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  // BENCH_SERVER_NODE_ARGS: extra node flags for the server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts'], {
    cwd: serverRoot,
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', JWT_SECRET: jwtSecret, LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '100000000', MAX_BODY_BYTES: String(32 << 20), WEBHOOK_ALLOW_PRIVATE_URLS: 'true', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+).*listening/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * fetch, sent again when a reused keep-alive connection turns out closed (ECONNRESET /
 * UND_ERR_SOCKET): a server that stalled past its keep-alive timeout closes idle sockets the
 * moment it runs again. The latency measured includes the retry.
 */
async function fetchRetrying(url: string, init?: RequestInit): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (attempt >= 3 || (code !== 'ECONNRESET' && code !== 'UND_ERR_SOCKET')) throw error;
    }
  }
}

async function graphql<Data = any>(server: Server, query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<Data> {
  const response = await fetchRetrying(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: Data; errors?: Array<{ message: string }> };
  if (body.errors?.length) throw new Error(body.errors.map((error) => error.message).join('; '));
  return body.data as Data;
}

async function createTenant(server: Server) {
  const admin = { authorization: `Bearer ${adminToken}` };
  const { createOrganization } = await graphql(server, 'mutation { createOrganization(input: { name: "bench" }) { id } }', {}, admin);
  const { createApiKey } = await graphql(server, 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input: { organizationId: createOrganization.id, name: 'bench', scopes: ['READ', 'INGEST', 'MANAGE'] } }, admin);
  return { organizationId: createOrganization.id as string, headers: { 'x-api-key': createApiKey.secret as string } };
}

async function ingest(server: Server, headers: Record<string, string>, count: number, seed: number) {
  const conversations = generateDemoConversations({ count, seed, now: new Date('2026-11-30T12:00:00Z') });
  for (let start = 0; start < conversations.length; start += 100) {
    await graphql(server, 'mutation($inputs: [IngestConversationInput!]!) { ingestConversations(inputs: $inputs) { error { message } } }', { inputs: conversations.slice(start, start + 100) }, headers);
  }
  return conversations.filter((conversation) => conversation.status === 'COMPLETED').length;
}

const ANALYSED = `{ finished: conversations(first: 1, filter: { statuses: [COMPLETED], analysisStatuses: [COMPLETED, FAILED] }) { totalCount } }`;
async function waitAnalysed(server: Server, headers: Record<string, string>, completed: number) {
  for (;;) {
    const { finished } = await graphql(server, ANALYSED, {}, headers);
    if (finished.totalCount >= completed) return;
    await sleep(200);
  }
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
function summary(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { count: sorted.length, p50: Math.round(percentile(sorted, 50)), p99: Math.round(percentile(sorted, 99)), max: Math.round(sorted.at(-1) ?? NaN) };
}

async function probeWhile(running: () => boolean, probe: () => Promise<unknown>) {
  const latencies: number[] = [];
  while (running()) {
    const started = performance.now();
    await probe();
    latencies.push(performance.now() - started);
    await sleep(20);
  }
  return latencies;
}

const READ = `{ conversations(first: 10) { totalCount edges { node { id externalId outcome summary sentiment { label score } agents { agent { name } } messages(first: 5) { edges { node { senderRole content } } } } } } }`;

async function responsiveness(server: Server) {
  const tenant = await createTenant(server);
  const completed = await ingest(server, tenant.headers, responsivenessCount, 7);
  await waitAnalysed(server, tenant.headers, completed);
  const started = performance.now();
  const { reanalyzeConversations } = await graphql(server, 'mutation { reanalyzeConversations(filter: { statuses: [COMPLETED] }) { batchId } }', {}, tenant.headers);
  let running = true;
  const progress = (async () => {
    while (running) {
      const { reanalysisProgress } = await graphql(server, 'query($id: UUID!) { reanalysisProgress(batchId: $id) { total done failed } }', { id: reanalyzeConversations.batchId }, tenant.headers);
      if (reanalysisProgress.done + reanalysisProgress.failed >= reanalysisProgress.total) running = false;
      else await sleep(200);
    }
  })();
  const [healthz, read] = await Promise.all([
    probeWhile(() => running, () => fetchRetrying(`${server.url}/healthz`).then((response) => response.text())),
    probeWhile(() => running, () => graphql(server, READ, {}, tenant.headers)),
    progress,
  ]);
  return { reanalysed: completed, seconds: Number(((performance.now() - started) / 1000).toFixed(1)), healthz: summary(healthz), read: summary(read) };
}

async function startReceiver() {
  const received: number[] = [];
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received.push(performance.now());
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function throughput(server: Server) {
  const tenant = await createTenant(server);
  const receiver = await startReceiver();
  await graphql(server, 'mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }', { input: { url: receiver.url, eventTypes: ['conversation.analysisCompleted'] } }, tenant.headers);
  const started = performance.now();
  const completed = await ingest(server, tenant.headers, throughputCount, 11);
  const ingested = performance.now();
  while (receiver.received.length < completed) await sleep(100);
  const seconds = (Math.max(...receiver.received) - started) / 1000;
  await receiver.close();
  return { organizationId: tenant.organizationId, analysed: completed, ingestSeconds: Number(((ingested - started) / 1000).toFixed(1)), endToEndSeconds: Number(seconds.toFixed(1)), perSecond: Number((completed / seconds).toFixed(1)) };
}

/** The local analyzer alone, in this process, over the same conversations. */
async function analyzerRate(database: Database, organizationId: string) {
  const scope = database.forOrganization(organizationId);
  const conversations = await scope.db.conversation.findMany({ where: { status: 'COMPLETED' } });
  const inputs = [];
  for (const conversation of conversations) inputs.push((await loadAnalysisInput(scope, conversation)).input);
  const provider = new LocalAnalysisProvider();
  for (const input of inputs.slice(0, 20)) await provider.analyze(input); // warm-up
  const started = performance.now();
  for (const input of inputs) await provider.analyze(input);
  const seconds = (performance.now() - started) / 1000;
  return { conversations: inputs.length, perSecond: Number((inputs.length / seconds).toFixed(1)) };
}

const passThrough = Object.fromEntries(['WORKER_CONCURRENCY', 'WORKER_POLL_INTERVAL_MS', 'ANALYSIS_THREADS'].flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));
const results: Record<string, unknown> = {};
for (const kind of databases) {
  let env: Record<string, string>;
  let open: () => Promise<Database>;
  let cleanup: () => Promise<void>;
  if (kind === 'embedded') {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'alma-bench-responsiveness-'));
    env = { DATA_DIR: dataDir, DATABASE_URL: '' };
    open = () => openDatabase({ kind: 'embedded', dataDir, migrateOnStart: false }, logger);
    cleanup = () => rm(dataDir, { recursive: true, force: true });
  } else {
    const name = `alma_bench_responsiveness_${Date.now()}`;
    const admin = new pg.Client({ connectionString: postgresServerUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(postgresServerUrl);
    url.pathname = `/${name}`;
    env = { DATABASE_URL: url.toString() };
    open = () => openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 2, migrateOnStart: false }, logger);
    cleanup = async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    };
  }
  try {
    const server = await startServer({ ...env, ...passThrough });
    const during = await responsiveness(server);
    console.log(kind, 'during re-analysis', JSON.stringify(during));
    const run = await throughput(server);
    await server.stop();
    const database = await open();
    const own = await analyzerRate(database, run.organizationId);
    await database.close();
    const result = { duringReanalysis: during, throughput: { ...run, analyzerInProcessPerSecond: own.perSecond, ratio: Number((run.perSecond / own.perSecond).toFixed(2)) } };
    console.log(kind, 'throughput', JSON.stringify(result.throughput));
    results[kind] = result;
  } finally {
    await cleanup();
  }
}
console.log(JSON.stringify({ settings: { ...passThrough, cpus: os.cpus().length }, results }, null, 2));
