import type http from 'node:http';
import { Authenticator } from './auth/authenticator.js';
import { resolveJwtSettings, type JwtSettings } from './auth/jwt.service.js';
import type { AppConfig } from './config/config.js';
import { openDatabase, type Database, type OpenDatabaseOptions } from './database/database.js';
import { graphiqlRoutes } from './graphql/graphiql.routes.js';
import { ConversationChangeFeed } from './conversations/conversation-change-feed.js';
import { createGraphQLHandler } from './graphql/graphql-handler.js';
import { createSubscriptionServer } from './graphql/subscription-server.js';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createWorker } from './jobs/workers.js';
import { trackInFlightRequests } from './lifecycle/http-drain.js';
import type { Logger } from './logging/logger.js';
import { Metrics } from './observability/metrics.js';
import { metricsRoutes } from './observability/metrics.routes.js';
import { startTracing } from './observability/tracing.js';
import { createHttpServer, listen } from './server/http-server.js';
import { RateLimiter } from './server/rate-limiter.js';
import { RequestAdmission } from './server/request-admission.js';
import { orationWebhookRoute } from './webhooks/oration/oration-webhook.route.js';
import { landingPageRoutes } from './web-app/landing-page.routes.js';
import { webAppRoutes } from './web-app/web-app.routes.js';

export interface RunningApp {
  database: Database;
  metrics: Metrics;
  server: http.Server;
  port: number;
  jwt: JwtSettings & { generated: boolean };
  /** Graceful: stops accepting, waits for in-flight work (bounded by SHUTDOWN_TIMEOUT_MS), closes the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** An already open database (tests); the app closes it on stop. */
  database?: Database;
  databaseOptions?: OpenDatabaseOptions;
  /** Spans go here instead of OTLP (tests: an in-memory exporter); turns tracing on. */
  spanExporter?: SpanExporter;
}

/** Opens the database (applying migrations) and serves GraphQL, webhooks and health checks. */
export async function startApp(config: AppConfig, logger: Logger, options: StartOptions = {}): Promise<RunningApp> {
  const database = options.database ?? (await openDatabase(config.database, logger, options.databaseOptions));
  const tracing = startTracing(config.observability.tracing, options.spanExporter);
  try {
    const metrics = new Metrics({ queue: () => database.jobs.snapshot(), pool: () => database.poolStats() });
    const jwt = await resolveJwtSettings(config.auth, config.dataDir);
    const authenticator = new Authenticator(database.platform, jwt, (error) => logger.warn({ err: error }, 'could not record API key use'));
    const admission = new RequestAdmission({
      authenticator,
      requests: new RateLimiter(config.rateLimitPerMinute),
      authFailures: new RateLimiter(config.authFailuresPerMinute),
      trustProxyHops: config.http.trustProxyHops,
    });
    const graphql = await createGraphQLHandler({ config, database, logger, admission, metrics });
    const server = createHttpServer(
      { database, logger, metrics, timeouts: config.http },
      {
        ...metricsRoutes(config.observability.metrics, metrics),
        'POST /graphql': graphql.handle,
        'GET /graphql': graphql.handle,
        ...(config.graphql.graphiql ? graphiqlRoutes({ logger, api: graphql.handle }) : {}),
        ...landingPageRoutes({ graphiqlEnabled: config.graphql.graphiql }),
        'POST /webhooks/oration': orationWebhookRoute({ database, logger, admission, maxBodyBytes: config.http.maxBodyBytes }),
        ...webAppRoutes({ logger }),
      },
    );
    // GraphQL subscriptions: WebSocket upgrades of /graphql, fed by this process's LISTEN on conversation changes.
    const conversationChanges = new ConversationChangeFeed(database, logger);
    const subscriptions = createSubscriptionServer({
      server,
      schema: graphql.schema,
      config,
      admission,
      authenticator,
      feed: conversationChanges,
      contextFor: graphql.contextFor,
      logger,
      metrics,
    });
    const requests = trackInFlightRequests(server);
    const { port } = await listen(server, config.port, config.host);
    // Background jobs run inside the server by default; `npm run worker` runs more of them elsewhere.
    const worker = config.worker.enabled ? createWorker(config, database, logger, undefined, { metrics }) : undefined;
    worker?.start();
    let stopping: Promise<void> | undefined;
    return {
      database,
      metrics,
      server,
      port,
      jwt,
      stop() {
        stopping ??= (async () => {
          // In-flight requests and running jobs share one deadline; what runs past it is cut off
          // (requests) or released to the queue (jobs). Only then is the database closed.
          const deadline = Date.now() + config.shutdownTimeoutMs;
          await Promise.all([subscriptions.stop(deadline), requests.drain(deadline), worker?.stop(deadline)]);
          await conversationChanges.close();
          await graphql.stop();
          await database.close();
          await tracing?.shutdown();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await database.close();
    await tracing?.shutdown();
    throw error;
  }
}
