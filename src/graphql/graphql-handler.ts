import type http from 'node:http';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { createAnalysisProvider } from '../analysis/provider-factory.js';
import type { Credential } from '../auth/credential.js';
import type { AppConfig } from '../config/config.js';
import type { Database } from '../database/database.js';
import { cancelStatementsOn } from '../database/statement-cancellation.js';
import { DomainError, ErrorCode } from '../errors/domain-error.js';
import type { Logger } from '../logging/logger.js';
import { graphqlTelemetryPlugin } from '../observability/graphql-telemetry.js';
import type { Metrics } from '../observability/metrics.js';
import { inSpan } from '../observability/tracing.js';
import { HTTP_STATUS, sendJson } from '../server/http-errors.js';
import type { RequestAdmission } from '../server/request-admission.js';
import { parseJson, PayloadTooLargeError, readBody } from '../server/request-body.js';
import { parseRequestTarget } from '../server/request-target.js';
import { createContext, type GraphQLContext } from './context.js';
import { formatGraphQLError, isMaskedError } from './error-formatting.js';
import { fieldScopePlugin } from './field-scopes.js';
import { operationLimits } from './operation-limits.js';
import { listLimitPlugin } from '../limits/list-limits.js';
import { plannedOperationPlugin } from '../read-planner/planned-operation.js';
import { buildAppSchema } from './schema.js';


export interface GraphQLHandlerDependencies {
  config: AppConfig;
  database: Database;
  logger: Logger;
  admission: RequestAdmission;
  metrics?: Metrics;
}

/** Logs what the client will only see masked, with the request id and organization. */
const errorLoggingPlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors, contextValue }) {
        for (const error of errors) {
          if (isMaskedError(error)) {
            contextValue.logger.error({ err: error.originalError ?? error, path: error.path }, 'internal error in a GraphQL operation');
          }
        }
      },
    };
  },
};

/** Subscriptions need a connection that stays open: over HTTP they are refused before anything runs. */
const subscriptionsOverWebSocketPlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation !== 'subscription') return;
        throw new GraphQLError('Subscriptions are served over WebSocket at /graphql (protocol graphql-transport-ws, as graphql-ws speaks it), not over HTTP', {
          extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
        });
      },
    };
  },
};

export async function createGraphQLHandler(dependencies: GraphQLHandlerDependencies) {
  const { config, logger } = dependencies;
  const armor = operationLimits(config.graphql);
  const schema = await buildAppSchema();
  const server = new ApolloServer<GraphQLContext>({
    schema,
    introspection: config.graphql.introspection,
    parseOptions: { maxTokens: config.graphql.maxTokens },
    csrfPrevention: true,
    // Apollo's own handler would stop it and re-raise the signal before the app's graceful
    // shutdown (src/lifecycle) runs; the app stops Apollo itself.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    formatError: (formatted, error) => formatGraphQLError(formatted, error, { hideSuggestions: !config.graphql.introspection }),
    validationRules: armor.validationRules,
    // graphql-armor ships CommonJS typings of the same Apollo plugin interface.
    plugins: [
      ...(armor.plugins as unknown as ApolloServerPlugin<GraphQLContext>[]),
      errorLoggingPlugin,
      subscriptionsOverWebSocketPlugin,
      graphqlTelemetryPlugin(dependencies.metrics),
      fieldScopePlugin,
      // Every list a client sends is capped (LIST_LIMITS); the schema may not grow an uncapped one.
      listLimitPlugin(schema) as ApolloServerPlugin<GraphQLContext>,
      // Reads the read planner covers in full are answered by its statements, without execution.
      plannedOperationPlugin,
      // Responses are per credential and never HTTP-cached; the default cache-control plugin
      // would otherwise wrap every field resolver (measurable on large dashboard responses).
      ApolloServerPluginCacheControlDisabled(),
      // Apollo's landing pages load from a CDN (blank offline); GET /graphql in a browser is our
      // own GraphiQL (graphiql.routes.ts) when enabled.
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await server.start();
  const analysisProvider = createAnalysisProvider(config.analysis);
  /** One operation's context (HTTP requests; over WebSocket, each delivered event gets its own). */
  const contextFor = (credential: Credential, requestId: string, extra: Pick<GraphQLContext, 'conversationChanges'> = {}) =>
    createContext({ requestId, logger, credential, database: dependencies.database, analysisProvider, webhooks: config.webhooks, readPlanner: config.graphql.readPlanner, ...extra });

  async function handle(request: http.IncomingMessage, response: http.ServerResponse, requestId: string) {
    let credential: Credential;
    let body: unknown;
    try {
      credential = await dependencies.admission.admit(request, response);
      body = request.method === 'POST' ? parseJson(await readBody(request, config.http.maxBodyBytes)) : undefined;
    } catch (error) {
      if (error instanceof PayloadTooLargeError) return sendErrors(response, 413, ErrorCode.BAD_USER_INPUT, error.message);
      if (error instanceof DomainError) return sendErrors(response, HTTP_STATUS[error.code], error.code, error.message, error.details);
      throw error;
    }

    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    // A client that closes the connection before the answer abandons the operation: its running
    // PostgreSQL statements are cancelled, and the ones it would start are not sent.
    const abandoned = new AbortController();
    const onClose = () => {
      if (!response.writableFinished) abandoned.abort();
    };
    response.once('close', onClose);
    // The operation's span (named by graphqlTelemetryPlugin once the operation is known).
    const result = await inSpan('graphql', {}, () =>
      cancelStatementsOn(abandoned.signal, () =>
        server.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: request.method ?? 'GET', headers, search: parseRequestTarget(request.url)?.search ?? '', body },
          context: async () => contextFor(credential, requestId),
        }),
      ),
    );
    if (abandoned.signal.aborted) {
      logger.debug({ requestId }, 'GraphQL request abandoned by its client; its statements were cancelled');
      return;
    }
    response.off('close', onClose);
    for (const [name, value] of result.headers) response.setHeader(name, value);
    response.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
  }

  return { handle, schema, contextFor, stop: () => server.stop() };
}

function sendErrors(response: http.ServerResponse, status: number, code: string, message: string, details?: Record<string, unknown>) {
  sendJson(response, status, { errors: [{ message, extensions: { ...details, code } }] });
}
