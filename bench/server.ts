import { randomBytes } from 'node:crypto';
import { startApp, type RunningApp } from '../src/app.js';
import { mintJwt } from '../src/auth/jwt.service.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/logging/logger.js';

export interface GraphQLResult<Data = any> {
  status: number;
  data?: Data | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  bytes: number;
}

export interface BenchServer {
  app: RunningApp;
  url: string;
  poolSize: number;
  adminToken: string;
  memberToken(organizationId: string): string;
  /** SQL statements the counted instance has sent since it started (every one, from `onQuery`). */
  statements(): number;
  graphql<Data = any>(query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<GraphQLResult<Data>>;
  stop(): Promise<void>;
}

/**
 * The real application (`startApp`) in this process, on a free loopback port, over the benchmark
 * database. Production settings except: no background worker (queued analyses would change what
 * the read scenarios measure), a rate limit far above the load, and a body limit that fits 100
 * conversations per ingest request.
 *
 * Two instances of it: the one under load (`url`), and a second one, with every SQL statement
 * counted, that answers `graphql()` (the sequential checks and statement counts). Counting needs
 * Prisma's query events, which serialize every statement's parameters (measured: ~7 % of the CPU
 * of an ingest request, whose parameters are ~1 MB), so the measured instance has none.
 */
export async function startBenchServer(databaseUrl: string, poolSize: number): Promise<BenchServer> {
  const jwtSecret = randomBytes(32).toString('hex');
  const config = loadConfig({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: String(poolSize),
    MIGRATE_ON_START: 'false',
    JWT_SECRET: jwtSecret,
    WORKER_ENABLED: 'false',
    RATE_LIMIT_PER_MINUTE: '100000000',
    LOG_LEVEL: 'warn',
    MAX_BODY_BYTES: String(32 * 1024 * 1024),
  });
  let statements = 0;
  const app = await startApp(config, createLogger(config.logLevel));
  const counted = await startApp({ ...config, database: { ...config.database, poolSize: 2 } } as typeof config, createLogger(config.logLevel), {
    databaseOptions: { onQuery: () => void statements++ },
  });
  const url = `http://127.0.0.1:${app.port}`;
  const countedUrl = `http://127.0.0.1:${counted.port}`;
  const jwt = { secret: jwtSecret };
  return {
    app,
    url,
    poolSize,
    adminToken: mintJwt({ role: 'admin', subject: 'bench-admin' }, jwt),
    memberToken: (organizationId) => mintJwt({ role: 'member', organizationId, subject: 'bench-member' }, jwt, 24 * 3600),
    statements: () => statements,
    async graphql(query, variables, headers) {
      const response = await fetch(`${countedUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      const body = JSON.parse(text) as Omit<GraphQLResult, 'status' | 'bytes'>;
      return { status: response.status, bytes: Buffer.byteLength(text), ...body };
    },
    stop: async () => {
      await Promise.all([app.stop(), counted.stop()]);
    },
  };
}
