import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import {
  createSourceEventStream,
  execute,
  getOperationAST,
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { handleProtocols, makeServer, type Context as ProtocolContext, type SubscribePayload } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Authenticator } from '../auth/authenticator.js';
import { organizationOf, type Credential } from '../auth/credential.js';
import type { AppConfig } from '../config/config.js';
import { ChangeBacklogError, type ConversationChangeFeed } from '../conversations/conversation-change-feed.js';
import { DomainError, ErrorCode } from '../errors/domain-error.js';
import { createListLimitChecker, listLimitError } from '../limits/list-limits.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { RequestAdmission } from '../server/request-admission.js';
import { parseRequestTarget } from '../server/request-target.js';
import type { GraphQLContext } from './context.js';
import { formatGraphQLError, isMaskedError } from './error-formatting.js';
import { fieldScopeError } from './field-scopes.js';
import { operationLimits } from './operation-limits.js';

/** The close codes this server uses (graphql-ws's own where it has one). */
export const SubscriptionCloseCode = {
  /** Shutdown: reconnect to another instance. */
  GOING_AWAY: 1001,
  /** Slow consumer: more than SUBSCRIPTION_MAX_BUFFERED_BYTES waiting to be written, or too many changes waiting. */
  TRY_AGAIN_LATER: 1013,
  /** connection_init without a valid credential. */
  UNAUTHORIZED: 4401,
  /** The connection's credential stopped being valid (key revoked or expired, token expired, organization deactivated). */
  FORBIDDEN: 4403,
  /** Too many failed authentications from this address. */
  TOO_MANY_REQUESTS: 4429,
  INTERNAL_ERROR: 4500,
} as const;

const DISCONNECT_REASONS: Record<number, string> = {
  [SubscriptionCloseCode.GOING_AWAY]: 'shutdown',
  [SubscriptionCloseCode.TRY_AGAIN_LATER]: 'slow_consumer',
  [SubscriptionCloseCode.UNAUTHORIZED]: 'unauthorized',
  [SubscriptionCloseCode.FORBIDDEN]: 'credential_invalid',
  [SubscriptionCloseCode.TOO_MANY_REQUESTS]: 'rate_limited',
  [SubscriptionCloseCode.INTERNAL_ERROR]: 'internal_error',
};

/** How often idle connections are pinged (a peer that does not answer within as long is dropped). */
const KEEP_ALIVE_MS = 12_000;

export interface SubscriptionServerDependencies {
  server: http.Server;
  schema: GraphQLSchema;
  config: AppConfig;
  admission: RequestAdmission;
  authenticator: Authenticator;
  feed: ConversationChangeFeed;
  /** A fresh context per operation and per delivered event (graphql-handler's factory). */
  contextFor(credential: Credential, requestId: string, extra: Pick<GraphQLContext, 'conversationChanges'>): GraphQLContext;
  logger: Logger;
  metrics?: Metrics;
}

/** One WebSocket connection. */
interface Connection {
  id: string;
  socket: WebSocket;
  request: http.IncomingMessage;
  /** What connection_init presented, checked again periodically and before every event. */
  credentials: http.IncomingHttpHeaders;
  credential?: Credential;
  closing: boolean;
  revalidation?: Promise<boolean>;
  timers: NodeJS.Timeout[];
}

interface Operation {
  connection: Connection;
  requestId: string;
}

type Extra = { connection: Connection };

/**
 * GraphQL subscriptions over WebSocket (graphql-ws's graphql-transport-ws protocol) on the HTTP
 * server's `/graphql`. Connections authenticate in `connection_init` exactly as requests do; every
 * operation passes the same limits as over HTTP (depth/cost/aliases, tokens, list caps, field scopes,
 * the request budget); each delivered event executes with a fresh context, after the connection's
 * credential has been checked again. Queries and mutations stay on HTTP.
 */
export function createSubscriptionServer(dependencies: SubscriptionServerDependencies) {
  const { server, schema, config, admission, authenticator, feed, contextFor, logger, metrics } = dependencies;
  const settings = config.subscriptions;
  const validationRules = [...specifiedRules, ...operationLimits(config.graphql).validationRules, ...(config.graphql.introspection ? [] : [NoSchemaIntrospectionCustomRule])];
  const firstListViolation = createListLimitChecker(schema);
  const formatOptions = { hideSuggestions: !config.graphql.introspection };
  const operations = new WeakMap<object, Operation>();
  const connections = new Set<Connection>();
  let stopping = false;

  const close = (connection: Connection, code: number, reason: string) => {
    if (connection.closing) return;
    connection.closing = true;
    const label = DISCONNECT_REASONS[code];
    if (label) metrics?.subscriptionDisconnects.inc({ reason: label });
    logger.debug({ connection: connection.id, code, reason }, 'closing a subscription connection');
    connection.socket.close(code, closeReason(reason));
  };

  /** Whether the connection's credential still holds; closes the connection (4403) when it does not. */
  const stillValid = (connection: Connection): Promise<boolean> => {
    if (connection.closing) return Promise.resolve(false);
    connection.revalidation ??= (async () => {
      try {
        const fresh = await authenticator.authenticate(connection.credentials);
        if (fresh.kind !== connection.credential?.kind || organizationOf(fresh) !== organizationOf(connection.credential)) {
          close(connection, SubscriptionCloseCode.FORBIDDEN, 'The credential no longer grants this connection');
          return false;
        }
        return !connection.closing;
      } catch (error) {
        if (error instanceof DomainError && error.code === ErrorCode.UNAUTHENTICATED) {
          close(connection, SubscriptionCloseCode.FORBIDDEN, `Credential no longer valid: ${error.message}`);
          return false;
        }
        // The database did not answer: the events could not be read either; check again later.
        logger.warn({ err: error, connection: connection.id }, 'could not check a subscription credential again');
        return !connection.closing;
      } finally {
        connection.revalidation = undefined;
      }
    })();
    return connection.revalidation;
  };

  const formatErrors = (errors: readonly GraphQLError[], operation?: Operation): GraphQLFormattedError[] =>
    errors.map((error) => {
      if (isMaskedError(error)) logger.error({ err: error.originalError ?? error, path: error.path, requestId: operation?.requestId }, 'internal error in a GraphQL subscription');
      return formatGraphQLError(error.toJSON(), error, formatOptions);
    });

  /** Each source event is executed with its own context (fresh DataLoaders), after the credential is checked again. */
  const deliver = (source: AsyncIterator<unknown>, args: ExecutionArgs, operation: Operation): AsyncGenerator<ExecutionResult> => {
    const { connection, requestId } = operation;
    const credential = connection.credential!;
    let finished = false;
    const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
    metrics?.subscriptions.inc();
    const finish = async () => {
      if (finished) return;
      finished = true;
      metrics?.subscriptions.dec();
      await source.return?.();
    };
    // Not an async generator: its return() would wait behind a next() that waits for the next change.
    const iterator = {
      [Symbol.asyncIterator]: () => iterator,
      async next(): Promise<IteratorResult<ExecutionResult, undefined>> {
        if (finished) return done;
        try {
          const event = await source.next();
          if (event.done || finished || !(await stillValid(connection))) {
            await finish();
            return done;
          }
          const contextValue = contextFor(credential, requestId, { conversationChanges: feed });
          return { done: false, value: await execute({ ...args, rootValue: event.value, contextValue }) };
        } catch (error) {
          await finish();
          if (error instanceof ChangeBacklogError) {
            close(connection, SubscriptionCloseCode.TRY_AGAIN_LATER, `Slow consumer: ${error.message}`);
            return done;
          }
          throw error;
        }
      },
      async return(): Promise<IteratorResult<ExecutionResult, undefined>> {
        await finish();
        return done;
      },
      async throw(error: unknown): Promise<IteratorResult<ExecutionResult, undefined>> {
        await finish();
        throw error;
      },
    };
    return iterator as unknown as AsyncGenerator<ExecutionResult>;
  };

  const protocol = makeServer<Record<string, unknown> | undefined, Extra>({
    schema,
    async onConnect(context) {
      const { connection } = context.extra;
      connection.credentials = credentialHeaders(context.connectionParams);
      try {
        const credential = await admission.admitConnection(connection.request, connection.credentials);
        if (credential.kind === 'ANONYMOUS') {
          close(connection, SubscriptionCloseCode.UNAUTHORIZED, 'Authentication required: send x-api-key or Authorization: Bearer <token> in the connection_init payload');
          return false;
        }
        connection.credential = credential;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        close(connection, error.code === ErrorCode.RATE_LIMITED ? SubscriptionCloseCode.TOO_MANY_REQUESTS : SubscriptionCloseCode.UNAUTHORIZED, error.message);
        return false;
      }
      const every = setInterval(() => void stillValid(connection), settings.revalidateSeconds * 1000);
      every.unref();
      connection.timers.push(every);
      return true;
    },
    async onSubscribe(context, id, payload) {
      const { connection } = context.extra;
      const credential = connection.credential!;
      const refuse = (message: string, code: ErrorCode, details: Record<string, unknown> = {}) => [new GraphQLError(message, { extensions: { ...details, code } })];
      if (Object.keys(context.subscriptions).length > settings.maxPerConnection) {
        return refuse(`A connection may hold at most ${settings.maxPerConnection} subscriptions (SUBSCRIPTIONS_PER_CONNECTION)`, ErrorCode.BAD_USER_INPUT);
      }
      try {
        admission.admitOperation(connection.request, credential);
      } catch (error) {
        if (error instanceof DomainError) return refuse(error.message, error.code, error.details);
        throw error;
      }
      const parsed = parseOperation(payload, config.graphql.maxTokens);
      if (parsed instanceof GraphQLError) return [parsed];
      const validationErrors = validate(schema, parsed, validationRules);
      if (validationErrors.length > 0) return validationErrors.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
      const operation = getOperationAST(parsed, payload.operationName);
      if (!operation) return refuse('Unable to identify the operation: name one with operationName', ErrorCode.BAD_USER_INPUT);
      if (operation.operation !== 'subscription') {
        return refuse('Only subscriptions are served over WebSocket; send queries and mutations to POST /graphql', ErrorCode.BAD_USER_INPUT);
      }
      const scopeError = fieldScopeError(schema, parsed, operation, credential);
      if (scopeError) return [scopeError];
      const violation = firstListViolation(parsed, operation, payload.variables ?? undefined);
      if (violation) return [listLimitError(violation)];
      const requestId = `${connection.id}:${String(id).slice(0, 64)}`;
      const contextValue = contextFor(credential, requestId, { conversationChanges: feed });
      operations.set(contextValue, { connection, requestId });
      return { schema, document: parsed, operationName: payload.operationName, variableValues: payload.variables, contextValue };
    },
    async subscribe(args) {
      const operation = operations.get(args.contextValue as object)!;
      const source = await createSourceEventStream(args);
      // Refused before listening (NOT_FOUND, FORBIDDEN, bad variables): the errors are the answer.
      if (!(Symbol.asyncIterator in source)) return source;
      return deliver(source[Symbol.asyncIterator](), args, operation);
    },
    onNext(context, _id, _payload, args, result) {
      if (!result.errors?.length) return undefined;
      return { ...result, errors: formatErrors(result.errors, operations.get(args.contextValue as object)) };
    },
    onError(_context, _id, _payload, errors) {
      return formatErrors(errors);
    },
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: config.http.maxBodyBytes, handleProtocols });

  const open = (socket: WebSocket, request: http.IncomingMessage) => {
    const connection: Connection = { id: randomUUID(), socket, request, credentials: {}, closing: false, timers: [] };
    connections.add(connection);
    metrics?.subscriptionConnections.inc();
    socket.on('error', (error) => {
      logger.debug({ err: error, connection: connection.id }, 'subscription connection failed');
      socket.terminate();
    });
    const keepAlive = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      const unanswered = setTimeout(() => socket.terminate(), KEEP_ALIVE_MS);
      socket.once('pong', () => clearTimeout(unanswered));
      socket.ping();
    }, KEEP_ALIVE_MS);
    connection.timers.push(keepAlive);
    const closed = protocol.opened(
      {
        protocol: socket.protocol,
        // Not waiting for the write to reach the network: a client that does not read makes the
        // buffer grow instead, and past the bound it is disconnected (the message is dropped).
        send: (data) => {
          if (socket.readyState !== socket.OPEN || connection.closing) return;
          if (socket.bufferedAmount > config.subscriptions.maxBufferedBytes) {
            close(connection, SubscriptionCloseCode.TRY_AGAIN_LATER, `Slow consumer: more than ${config.subscriptions.maxBufferedBytes} bytes waiting to be sent`);
            return;
          }
          socket.send(data, (error) => error && logger.debug({ err: error, connection: connection.id }, 'could not send a subscription message'));
        },
        close: (code, reason) => close(connection, code ?? 1000, reason ?? ''),
        onMessage: (handle) =>
          socket.on('message', (data) => {
            handle(String(data)).catch((error: unknown) => {
              logger.error({ err: error, connection: connection.id }, 'a subscription message failed');
              close(connection, SubscriptionCloseCode.INTERNAL_ERROR, 'Internal server error');
            });
          }),
      },
      { connection },
    );
    socket.once('close', (code, reason) => {
      for (const timer of connection.timers) clearInterval(timer);
      connections.delete(connection);
      metrics?.subscriptionConnections.dec();
      closed(code, String(reason)).catch((error: unknown) => logger.warn({ err: error, connection: connection.id }, 'cleaning up a subscription connection failed'));
    });
  };

  const onUpgrade = (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (parseRequestTarget(request.url)?.pathname !== '/graphql') return refuseUpgrade(socket, 404, 'Not Found', 'WebSocket connections are served at /graphql');
    if (stopping) return refuseUpgrade(socket, 503, 'Service Unavailable', 'The server is shutting down');
    sockets.handleUpgrade(request, socket, head, (websocket) => open(websocket, request));
  };
  server.on('upgrade', onUpgrade);

  return {
    /** Open connections (tests, metrics). */
    get connections(): number {
      return connections.size;
    },
    /** Closes every connection (1001, clients reconnect elsewhere), waiting until `deadline` before cutting the rest. */
    async stop(deadline: number): Promise<void> {
      stopping = true;
      server.off('upgrade', onUpgrade);
      const closed = [...connections].map((connection) => new Promise<void>((resolve) => (connection.socket.readyState === connection.socket.CLOSED ? resolve() : connection.socket.once('close', () => resolve()))));
      for (const connection of connections) close(connection, SubscriptionCloseCode.GOING_AWAY, 'The server is shutting down');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(closed), new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))))]);
      clearTimeout(timer);
      for (const connection of connections) connection.socket.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
    },
  };
}

/** `x-api-key` and `authorization` from a connection_init payload, matched case-insensitively, as the authenticator reads headers. */
function credentialHeaders(params: Readonly<Record<string, unknown>> | undefined): http.IncomingHttpHeaders {
  const headers: http.IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    const lower = name.toLowerCase();
    if ((lower === 'x-api-key' || lower === 'authorization') && typeof value === 'string') headers[lower] = value;
  }
  return headers;
}

function parseOperation(payload: SubscribePayload, maxTokens: number): DocumentNode | GraphQLError {
  if (typeof payload.query !== 'string') return withCode(new GraphQLError('The subscribe payload needs a query'), 'BAD_REQUEST');
  try {
    return parse(payload.query, { maxTokens });
  } catch (error) {
    if (error instanceof GraphQLError) return withCode(error, 'GRAPHQL_PARSE_FAILED');
    throw error;
  }
}

/** Apollo's codes for the same failures, so that errors read the same over HTTP and WebSocket. */
function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code } });
}

/** A close reason is at most 123 bytes (RFC 6455). */
function closeReason(reason: string): string {
  if (Buffer.byteLength(reason) <= 123) return reason;
  let cut = reason.slice(0, 120);
  while (Buffer.byteLength(`${cut}…`) > 123) cut = cut.slice(0, -1);
  return `${cut}…`;
}

function refuseUpgrade(socket: Duplex, status: number, reason: string, message: string): void {
  const body = JSON.stringify(status === 404 ? { error: { code: ErrorCode.NOT_FOUND, message } } : { status: 'unavailable', reason: message });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`, () => socket.destroy());
}
