import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { DatabaseConfig } from '../config/config.js';
import { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logging/logger.js';
import { createEmbeddedDatabase } from './embedded-database.js';
import { DataDirectoryLock } from './embedded-lock.js';
import { analyzeGrownTables, scheduleAnalyze } from './embedded-statistics.js';
import { RequestBoundPool } from './statement-cancellation.js';
import { JobStore } from './job-store.js';
import { applyMigrations, migrationStatus, type MigrationStatus } from './migrator.js';
import { openPostgresSession, pgliteSession, type SqlSession } from './sql-session.js';
import { traceEmbeddedStatements, TracedPgClient } from './traced-drivers.js';
import { scopedClient, TenantScope, type PreparedQuery } from './tenant-scope.js';

/**
 * Platform-level access: organizations and their API keys, for admins and for credential checks.
 * Tenant data is reachable only through `forOrganization`.
 */
export type PlatformDb = Pick<PrismaClient, 'organization' | 'apiKey'>;

export interface Database {
  readonly kind: 'postgres' | 'embedded';
  readonly platform: PlatformDb;
  /** The data layer pinned to one organization. */
  forOrganization(organizationId: string): TenantScope;
  /** The background-job queue's cross-organization operations (workers). */
  readonly jobs: JobStore;
  /**
   * Calls `listener` whenever jobs were queued (by any process on this database; the `jobs`
   * trigger notifies `alma_jobs_queued` at commit). Resolves to an unsubscribe function.
   */
  onJobsQueued(listener: () => void): Promise<() => void>;
  /**
   * LISTENs on a notification channel (PostgreSQL or the embedded database): `listener` gets each
   * notification's payload, or `null` when notifications may have been missed (after the
   * listening connection was re-established). Resolves, once listening, to an unsubscribe function.
   */
  listen(channel: string, listener: (payload: string | null) => void): Promise<() => void>;
  /** Runs platform writes that belong together in one transaction. */
  platformTransaction<T>(work: (platform: PlatformDb) => Promise<T>): Promise<T>;
  migrate(): Promise<string[]>;
  migrationStatus(): Promise<MigrationStatus>;
  /** Throws unless the database answers. */
  ping(): Promise<void>;
  /**
   * ANALYZEs the tables that grew since their last ANALYZE, on the embedded database (PGlite has no
   * autovacuum; it also runs every EMBEDDED_ANALYZE_INTERVAL_MS); nothing on PostgreSQL, whose
   * autovacuum does it. Resolves to the tables analyzed.
   */
  refreshStatistics(): Promise<string[]>;
  /** The connection pool's state (PostgreSQL); undefined on the embedded database, which has one connection. */
  poolStats(): PoolStats | undefined;
  close(): Promise<void>;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

export interface OpenDatabaseOptions {
  /** In-memory PGlite (tests); ignores dataDir. */
  inMemory?: boolean;
  /** A PGlite dump (from `dumpDataDir`) to start from, for fast per-test databases. */
  loadDataDir?: Blob | File;
  /** Called with every SQL statement the app sends through Prisma or the read planner, and its parameters (statement counting, EXPLAIN in tests and benchmarks). */
  onQuery?: (sql: string, params: readonly unknown[]) => void;
}

export async function openDatabase(
  config: DatabaseConfig,
  logger: Logger,
  options: OpenDatabaseOptions = {},
): Promise<Database> {
  const database =
    config.kind === 'postgres'
      ? await openPostgres(config.url, config.poolSize, logger, options, config.statementTimeoutMs ?? 0)
      : await openEmbedded(config.dataDir, logger, options);
  if (config.migrateOnStart) {
    try {
      await database.migrate();
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}

function prismaLogOptions(options: OpenDatabaseOptions) {
  return options.onQuery ? [{ emit: 'event' as const, level: 'query' as const }] : [];
}

function attachQueryListener(prisma: PrismaClient<'query'> | PrismaClient, options: OpenDatabaseOptions) {
  if (!options.onQuery) return;
  const onQuery = options.onQuery;
  (prisma as PrismaClient<'query'>).$on('query', (event) => onQuery(event.query, queryParams(event.params)));
}

/** A Prisma query event's parameters (a JSON array as text), or none when they don't parse. */
function queryParams(params: string): unknown[] {
  try {
    const parsed: unknown = JSON.parse(params);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

export const JOBS_QUEUED_CHANNEL = 'alma_jobs_queued';

type ChannelListener = (payload: string | null) => void;
type StartListening = (channel: string, notify: ChannelListener) => Promise<() => Promise<void>>;

const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Fans database notification channels out to in-process listeners; each channel is LISTENed once. */
function notificationFanOut(start: StartListening) {
  const channels = new Map<string, { listeners: Set<ChannelListener>; stop: Promise<() => Promise<void>> }>();
  return {
    async subscribe(channel: string, listener: ChannelListener): Promise<() => void> {
      if (!CHANNEL_NAME.test(channel)) throw new Error(`invalid notification channel name: ${channel}`);
      let entry = channels.get(channel);
      if (!entry) {
        const listeners = new Set<ChannelListener>();
        const stop = start(channel, (payload) => {
          for (const each of listeners) each(payload);
        });
        entry = { listeners, stop };
        channels.set(channel, entry);
        stop.catch(() => channels.delete(channel));
      }
      entry.listeners.add(listener);
      try {
        await entry.stop;
      } catch (error) {
        entry.listeners.delete(listener);
        throw error;
      }
      const listeners = entry.listeners;
      return () => void listeners.delete(listener);
    },
    async close() {
      const stops = [...channels.values()].map((entry) => entry.stop);
      channels.clear();
      for (const stop of stops) await (await stop.catch(() => async () => {}))();
    },
  };
}

/** LISTEN on a dedicated connection (the pool's connections come and go); reconnects after a failure. */
function postgresListener(url: string, logger: Logger): StartListening {
  return async (channel, notify) => {
    let client: pg.Client | undefined;
    let closed = false;
    let retry: NodeJS.Timeout | undefined;
    const connect = async () => {
      const next = new pg.Client({ connectionString: url });
      next.on('notification', (message) => notify(message.payload ?? ''));
      next.on('error', (error) => {
        logger.warn({ err: error, channel }, 'database notifications lost; reconnecting');
        void next.end().catch(() => undefined);
        if (client === next) client = undefined;
        if (!closed) retry = setTimeout(() => void connect().catch(() => undefined), 5_000).unref();
      });
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      client = next;
      notify(null); // anything sent while not listening
    };
    await connect();
    return async () => {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    };
  };
}

function buildDatabase(
  kind: Database['kind'],
  prisma: PrismaClient,
  openSession: () => Promise<SqlSession>,
  logger: Logger,
  closeResources: () => Promise<void>,
  startListening: StartListening,
  prepared?: PreparedQuery,
  poolStats: () => PoolStats | undefined = () => undefined,
  refreshStatistics: () => Promise<string[]> = async () => [],
): Database {
  const notifications = notificationFanOut(startListening);
  const withSession = async <T>(work: (session: SqlSession) => Promise<T>) => {
    const session = await openSession();
    try {
      return await work(session);
    } finally {
      await session.close();
    }
  };
  return {
    kind,
    platform: prisma,
    forOrganization: (organizationId) => new TenantScope(organizationId, scopedClient(prisma, organizationId), prepared),
    jobs: new JobStore(prisma),
    onJobsQueued: (listener) => notifications.subscribe(JOBS_QUEUED_CHANNEL, () => listener()),
    listen: (channel, listener) => notifications.subscribe(channel, listener),
    platformTransaction: (work) => prisma.$transaction((tx) => work(tx)),
    migrate: () => withSession((session) => applyMigrations(session, logger)),
    migrationStatus: () => withSession((session) => migrationStatus(session)),
    ping: async () => {
      await prisma.$queryRawUnsafe('SELECT 1');
    },
    refreshStatistics,
    poolStats,
    close: async () => {
      await notifications.close();
      await prisma.$disconnect();
      await closeResources();
    },
  };
}

async function openPostgres(url: string, poolSize: number, logger: Logger, options: OpenDatabaseOptions, statementTimeoutMs: number) {
  // JIT off for the app's sessions: its statements are short, and PostgreSQL's JIT compiles any
  // plan estimated above jit_above_cost — measured on the bench dataset, 65 ms of compilation
  // inside a 340 ms analytics statement. A URL's own `options` parameter is replaced by this.
  // One pool for Prisma and the named statements of the read planner (the same connections).
  // statement_timeout bounds every statement the API's sessions run (0: none); migrations run on
  // their own session (openPostgresSession) without it. The traced client class gives each
  // statement an SQL span when tracing is on; the pool class cancels a statement whose request was
  // abandoned (statement-cancellation.ts).
  const pool = new RequestBoundPool({ connectionString: url, max: poolSize, options: `-c jit=off -c statement_timeout=${statementTimeoutMs}`, Client: TracedPgClient });
  // A pooled connection that dies while idle (a server restart, pg_terminate_backend, a failover)
  // is an 'error' event on the pool: unhandled, it ends the process. The pool drops the client and
  // opens a new one when next needed.
  pool.on('error', (error) => logger.warn({ err: error }, 'an idle database connection was closed by the server; the pool replaces it'));
  const adapter = new PrismaPg(pool);
  const prisma = new PrismaClient({ adapter, log: prismaLogOptions(options) });
  attachQueryListener(prisma, options);
  return buildDatabase('postgres', prisma, () => openPostgresSession(url), logger, () => pool.end(), postgresListener(url, logger), namedStatements(pool, options), () => ({
    total: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
    max: poolSize,
  }));
}

/**
 * Named statements over the pool: each connection prepares a name once and then only binds and
 * executes it. Names are kept for at most MAX_NAMED_STATEMENTS distinct texts per process (each
 * one lives in every connection's backend); past that, statements run unnamed.
 */
const MAX_NAMED_STATEMENTS = 500;
function namedStatements(pool: pg.Pool, options: OpenDatabaseOptions): PreparedQuery {
  const names = new Set<string>();
  return async <Row>(name: string, text: string, params: unknown[]) => {
    options.onQuery?.(text, params);
    if (names.has(name) || names.size < MAX_NAMED_STATEMENTS) {
      names.add(name);
      return (await pool.query({ name, text, values: params })).rows as Row[];
    }
    return (await pool.query(text, params)).rows as Row[];
  };
}

async function openEmbedded(dataDir: string, logger: Logger, options: OpenDatabaseOptions) {
  const lock = options.inMemory ? undefined : await DataDirectoryLock.acquire(dataDir);
  let pglite: PGlite;
  try {
    const dataPath = options.inMemory ? undefined : path.join(dataDir, 'pglite');
    pglite = await createEmbeddedDatabase(dataPath, { loadDataDir: options.loadDataDir });
  } catch (error) {
    await lock?.release();
    throw error;
  }
  yieldBetweenStatements(pglite);
  traceEmbeddedStatements(pglite);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite), log: prismaLogOptions(options) });
  attachQueryListener(prisma, options);
  logger.debug({ dataDir: options.inMemory ? ':memory:' : dataDir }, 'embedded database open');
  const refreshStatistics = () => analyzeGrownTables(pgliteSession(pglite));
  const analyze = scheduleAnalyze(refreshStatistics, logger);
  return buildDatabase(
    'embedded',
    prisma,
    async () => pgliteSession(pglite),
    logger,
    async () => {
      await analyze.stop();
      await pglite.close();
      await lock?.release();
    },
    async (channel, notify) => {
      const unlisten = await pglite.listen(channel, (payload) => notify(payload));
      return () => unlisten();
    },
    undefined,
    undefined,
    refreshStatistics,
  );
}

/**
 * PGlite runs each statement synchronously on this thread, and its promise chains never wait for
 * I/O: a worker's run of statements (a transaction, a batch of jobs) kept HTTP requests waiting
 * for its whole length (measured: /healthz 21 s during a 187-conversation re-analysis). One turn of
 * the event loop before each statement lets requests in between.
 */
function yieldBetweenStatements(pglite: PGlite): void {
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const raw = pglite.execProtocolRaw.bind(pglite);
  pglite.execProtocolRaw = async (...args: Parameters<PGlite['execProtocolRaw']>) => {
    await turn();
    return raw(...args);
  };
  const stream = pglite.execProtocolRawStream.bind(pglite);
  pglite.execProtocolRawStream = async (...args: Parameters<PGlite['execProtocolRawStream']>) => {
    await turn();
    return stream(...args);
  };
}
