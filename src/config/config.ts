import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
/** Seconds: `3600`, `90s`, `30m`, `24h`, `7d`. */
const durationSeconds = z
  .string()
  .regex(/^\d+[smhd]?$/, 'must be seconds or a number with s, m, h or d (e.g. 3600, 30m, 24h)')
  .transform((value) => Number.parseInt(value, 10) * (DURATION_UNITS[value.at(-1)!] ?? 1))
  .pipe(z.number().int().min(60, 'must be at least a minute'));

/** Every environment variable the application reads, parsed once at boot. */
const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL (unset it to use the embedded database)')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  DATA_DIR: z.string().min(1).default('./.data'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  MIGRATE_ON_START: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  JWT_MAX_TTL: durationSeconds.default(24 * 3600),
  ADMIN_JWT_MAX_TTL: durationSeconds.default(3600),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).default(10),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(100).default(20_000),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(1).default(20),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).default(5_000),
  GRAPHQL_READ_PLANNER: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  GRAPHIQL_ENABLED: z.enum(['true', 'false']).optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(6_000),
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(0).default(30),
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1).default(65_000),
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1).default(66_000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1).default(66_000),
  SUBSCRIPTION_REVALIDATE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  SUBSCRIPTION_MAX_BUFFERED_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  SUBSCRIPTIONS_PER_CONNECTION: z.coerce.number().int().min(1).max(1_000).default(50),
  ANALYSIS_PROVIDER: z.enum(['auto', 'local', 'openai']).default('auto'),
  ANALYSIS_THREADS: z.coerce.number().int().min(0).max(64).optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  WORKER_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  WORKER_POLL_INTERVAL_MS: z.coerce.number().int().min(10).default(2_000),
  JOB_LEASE_MS: z.coerce.number().int().min(100).default(60_000),
  WORKER_ORGANIZATION_IDS: z
    .string()
    .transform((value) => value.split(',').map((id) => id.trim()).filter(Boolean))
    .pipe(z.array(z.uuid()))
    .optional(),
  WEBHOOK_ALLOW_PRIVATE_URLS: z.enum(['true', 'false']).optional(),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).default(5),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('alma-analytics'),
});

export type Environment = z.input<typeof environmentSchema>;

export interface AppConfig {
  nodeEnv: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: string;
  database: DatabaseConfig;
  /** Where local state lives (embedded database, generated development JWT secret). */
  dataDir: string;
  auth: AuthConfig;
  http: HttpSettings;
  /** On SIGTERM/SIGINT: how long in-flight requests and running jobs get before they are cut off (jobs are released). */
  shutdownTimeoutMs: number;
  graphql: {
    maxDepth: number;
    maxCost: number;
    maxAliases: number;
    maxTokens: number;
    introspection: boolean;
    /** GraphiQL at GET /graphql (default: only outside production). */
    graphiql: boolean;
    /** Nested reads through the read planner (GRAPHQL_READ_PLANNER). */
    readPlanner: boolean;
  };
  subscriptions: SubscriptionSettings;
  /** Requests per credential per minute; 0 disables the limit. */
  rateLimitPerMinute: number;
  /** Failed authentications per client address per minute before it is refused for a while; 0 disables. */
  authFailuresPerMinute: number;
  analysis: AnalysisSettings;
  worker: { enabled: boolean; concurrency: number; pollIntervalMs: number; leaseMs: number; organizationIds?: string[] };
  webhooks: WebhookSettings;
  observability: ObservabilitySettings;
}

export interface ObservabilitySettings {
  /**
   * `GET /metrics` (Prometheus text). Outside production it is open unless a token is set; in
   * production it is off unless METRICS_TOKEN is set, and then needs `Authorization: Bearer <token>`.
   */
  metrics: { enabled: boolean; token?: string };
  /** OpenTelemetry spans, exported over OTLP/HTTP when an endpoint is set. */
  tracing: { tracesEndpoint?: string; serviceName: string };
}

export interface HttpSettings {
  maxBodyBytes: number;
  /** How long an idle keep-alive connection stays open: above a load balancer's idle timeout (often 60 s). */
  keepAliveTimeoutMs: number;
  /** From a request's first byte until its headers are in. */
  headersTimeoutMs: number;
  /** From a request's first byte until all of it (headers and body) is in; at least headersTimeoutMs. */
  requestTimeoutMs: number;
  /** Proxies in front of the server whose X-Forwarded-For entries are trusted (0: use the socket's address). */
  trustProxyHops: number;
}

/** GraphQL subscriptions over WebSocket (graphql-ws on /graphql). */
export interface SubscriptionSettings {
  /** How often an open connection's credential is checked again (it is also checked before each delivered event). */
  revalidateSeconds: number;
  /** A connection with more than this many bytes not yet written to the network when the next message is due is closed (slow consumer). */
  maxBufferedBytes: number;
  /** Subscriptions one connection may hold at once. */
  maxPerConnection: number;
}

export interface WebhookSettings {
  /** Deliver to loopback/private/link-local addresses (default: only outside production). */
  allowPrivateUrls: boolean;
  /** Per-attempt HTTP timeout. */
  timeoutMs: number;
  /** Consecutive finally-failed deliveries after which an endpoint is DISABLED. */
  disableAfterFailures: number;
  /** Attempts per delivery (retried with the worker's exponential backoff). */
  maxAttempts: number;
}

export interface AnalysisSettings {
  /** `local` unless ANALYSIS_PROVIDER=openai, or `auto` with OPENAI_API_KEY set. */
  provider: 'local' | 'openai';
  /** Worker threads running the local analyzer off the event loop; 0 runs it on the main thread. */
  threads: number;
  openai: { apiKey?: string; baseURL?: string; model: string; timeoutMs: number };
}

export interface AuthConfig {
  /** Unset outside production: a generated secret is kept in the data directory. */
  jwtSecret?: string;
  jwtIssuer?: string;
  jwtAudience?: string;
  /** Longest accepted token lifetime (`exp - iat`) per role, in seconds. */
  jwtMaxTtl: { member: number; admin: number };
}

export type DatabaseConfig =
  | { kind: 'postgres'; url: string; poolSize: number; migrateOnStart: boolean; statementTimeoutMs?: number }
  | { kind: 'embedded'; dataDir: string; migrateOnStart: boolean };

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty value means "not set" (a blank line copied from .env.example).
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  const values = parsed.data;
  if (values.ANALYSIS_PROVIDER === 'openai' && !values.OPENAI_API_KEY) {
    throw new ConfigError(['OPENAI_API_KEY: required when ANALYSIS_PROVIDER=openai']);
  }
  if (values.NODE_ENV === 'production' && !values.JWT_SECRET) {
    throw new ConfigError(['JWT_SECRET: required when NODE_ENV=production (at least 32 characters)']);
  }
  if (values.HTTP_HEADERS_TIMEOUT_MS > values.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError(['HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS (the request timeout includes the headers)']);
  }
  const database: DatabaseConfig = values.DATABASE_URL
    ? {
        kind: 'postgres',
        url: values.DATABASE_URL,
        poolSize: values.DATABASE_POOL_SIZE,
        statementTimeoutMs: values.DATABASE_STATEMENT_TIMEOUT_MS,
        migrateOnStart: values.MIGRATE_ON_START,
      }
    : { kind: 'embedded', dataDir: path.resolve(values.DATA_DIR), migrateOnStart: values.MIGRATE_ON_START };
  return {
    nodeEnv: values.NODE_ENV,
    host: values.HOST,
    port: values.PORT,
    logLevel: values.LOG_LEVEL,
    database,
    dataDir: path.resolve(values.DATA_DIR),
    auth: {
      jwtSecret: values.JWT_SECRET,
      jwtIssuer: values.JWT_ISSUER,
      jwtAudience: values.JWT_AUDIENCE,
      jwtMaxTtl: { member: values.JWT_MAX_TTL, admin: values.ADMIN_JWT_MAX_TTL },
    },
    http: {
      maxBodyBytes: values.MAX_BODY_BYTES,
      keepAliveTimeoutMs: values.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      headersTimeoutMs: values.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: values.HTTP_REQUEST_TIMEOUT_MS,
      trustProxyHops: values.TRUST_PROXY_HOPS,
    },
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
    graphql: {
      maxDepth: values.GRAPHQL_MAX_DEPTH,
      maxCost: values.GRAPHQL_MAX_COST,
      maxAliases: values.GRAPHQL_MAX_ALIASES,
      maxTokens: values.GRAPHQL_MAX_TOKENS,
      readPlanner: values.GRAPHQL_READ_PLANNER,
      // GraphiQL needs the schema: enabling it in production enables introspection too.
      introspection: values.NODE_ENV !== 'production' || values.GRAPHIQL_ENABLED === 'true',
      graphiql: values.GRAPHIQL_ENABLED === undefined ? values.NODE_ENV !== 'production' : values.GRAPHIQL_ENABLED === 'true',
    },
    subscriptions: {
      revalidateSeconds: values.SUBSCRIPTION_REVALIDATE_SECONDS,
      maxBufferedBytes: values.SUBSCRIPTION_MAX_BUFFERED_BYTES,
      maxPerConnection: values.SUBSCRIPTIONS_PER_CONNECTION,
    },
    rateLimitPerMinute: values.RATE_LIMIT_PER_MINUTE,
    authFailuresPerMinute: values.AUTH_FAILURES_PER_MINUTE,
    analysis: {
      provider: values.ANALYSIS_PROVIDER === 'openai' || (values.ANALYSIS_PROVIDER === 'auto' && values.OPENAI_API_KEY) ? 'openai' : 'local',
      threads: values.ANALYSIS_THREADS ?? Math.max(1, os.availableParallelism() - 1),
      openai: { apiKey: values.OPENAI_API_KEY, baseURL: values.OPENAI_BASE_URL, model: values.OPENAI_MODEL, timeoutMs: values.OPENAI_TIMEOUT_MS },
    },
    worker: {
      enabled: values.WORKER_ENABLED,
      concurrency: values.WORKER_CONCURRENCY,
      pollIntervalMs: values.WORKER_POLL_INTERVAL_MS,
      leaseMs: values.JOB_LEASE_MS,
      organizationIds: values.WORKER_ORGANIZATION_IDS,
    },
    webhooks: {
      allowPrivateUrls: values.WEBHOOK_ALLOW_PRIVATE_URLS === undefined ? values.NODE_ENV !== 'production' : values.WEBHOOK_ALLOW_PRIVATE_URLS === 'true',
      timeoutMs: values.WEBHOOK_TIMEOUT_MS,
      disableAfterFailures: values.WEBHOOK_DISABLE_AFTER_FAILURES,
      maxAttempts: values.WEBHOOK_MAX_ATTEMPTS,
    },
    observability: {
      metrics: { enabled: values.NODE_ENV !== 'production' || values.METRICS_TOKEN !== undefined, token: values.METRICS_TOKEN },
      tracing: {
        tracesEndpoint:
          values.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
          (values.OTEL_EXPORTER_OTLP_ENDPOINT ? `${values.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` : undefined),
        serviceName: values.OTEL_SERVICE_NAME,
      },
    },
  };
}

/** Loads `.env` from the working directory when there is one; real environment variables win. */
export function loadDotEnv(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}
