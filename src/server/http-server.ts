import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { HttpSettings } from '../config/config.js';
import type { Database } from '../database/database.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { observeRequest } from '../observability/request-telemetry.js';
import { sendJson } from './http-errors.js';
import { parseRequestTarget } from './request-target.js';

export interface HttpServerDependencies {
  database: Database;
  logger: Logger;
  /** Request metrics (the access log and spans are always on). */
  metrics?: Metrics;
  /** Connection timeouts (Node's defaults when absent). */
  timeouts?: Pick<HttpSettings, 'keepAliveTimeoutMs' | 'headersTimeoutMs' | 'requestTimeoutMs'>;
}

export type RouteHandler = (request: http.IncomingMessage, response: http.ServerResponse, requestId: string) => Promise<void>;
/** Routes by `METHOD /path`. */
export type Routes = Record<string, RouteHandler>;


/** `GET /healthz`: the process is up. `GET /readyz`: the database answers and no migration is pending. */
function healthRoutes({ database }: HttpServerDependencies): Routes {
  return {
    'GET /healthz': async (_request, response) => sendJson(response, 200, { status: 'ok' }),
    'GET /readyz': async (_request, response) => {
      try {
        await database.ping();
        const { pending } = await database.migrationStatus();
        if (pending.length > 0) {
          sendJson(response, 503, { status: 'unavailable', reason: 'migrations pending', pending });
          return;
        }
        sendJson(response, 200, { status: 'ok', database: database.kind });
      } catch {
        sendJson(response, 503, { status: 'unavailable', reason: 'database unreachable' });
      }
    },
  };
}

export function createHttpServer(dependencies: HttpServerDependencies, extraRoutes: Routes = {}): http.Server {
  const routes = { ...healthRoutes(dependencies), ...extraRoutes };
  const { logger, timeouts } = dependencies;
  const server = http.createServer(
    timeouts
      ? {
          keepAliveTimeout: timeouts.keepAliveTimeoutMs,
          headersTimeout: timeouts.headersTimeoutMs,
          requestTimeout: timeouts.requestTimeoutMs,
          // How often Node looks for requests past those deadlines (its default, 30 s, would let short ones overrun).
          connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(timeouts.headersTimeoutMs / 4))),
        }
      : {},
    (request, response) => {
      const requestId = pickRequestId(request.headers['x-request-id']);
      // Nothing a client sends may throw out of here: an exception in this listener ends the process.
      const fail = (error: unknown) => {
        if (request.destroyed || response.destroyed) {
          logger.debug({ err: error, requestId }, 'request ended by the client');
          return;
        }
        logger.error({ err: error, requestId }, 'request failed');
        if (!response.headersSent) sendJson(response, 500, { error: { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' } });
        else response.end();
      };
      try {
        response.setHeader('x-request-id', requestId);
        const target = parseRequestTarget(request.url);
        const routeKey = target ? `${request.method} ${target.pathname}` : undefined;
        const handler = routeKey === undefined ? undefined : routes[routeKey];
        const run = observeRequest(dependencies, request, response, requestId, !target ? 'invalid' : handler ? target.pathname : 'unmatched');
        run(() => {
          if (!target) {
            sendJson(response, 400, { error: { code: 'BAD_USER_INPUT', message: 'The request target is not a path or an http(s) URL' } });
          } else if (!handler) {
            sendJson(response, 404, { error: { code: 'NOT_FOUND', message: `No route for ${request.method} ${target.pathname}` } });
          } else handler(request, response, requestId).catch(fail);
        });
      } catch (error) {
        fail(error);
      }
    },
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket));
  // CONNECT is not served (without a listener Node would drop the connection without an answer).
  server.on('connect', (_request: http.IncomingMessage, socket: Duplex) =>
    writeRawJson(socket, 400, 'Bad Request', { error: { code: 'BAD_USER_INPUT', message: 'CONNECT is not supported' } }),
  );
  return server;
}

/**
 * Requests Node's parser refuses (malformed, headers too large, too slow) answered with a JSON
 * body and a code, like every other error, then the connection is closed.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // A response already on its way (a request that timed out mid-answer) cannot be replaced.
  const inFlight = (socket as Duplex & { _httpMessage?: http.ServerResponse | null })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, reason, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'The request headers are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'The request was not received in time']
        : [400, 'Bad Request', 'The request is not valid HTTP'];
  writeRawJson(socket, status, reason, { error: { code: 'BAD_USER_INPUT', message } });
}

function writeRawJson(socket: Duplex, status: number, reason: string, body: unknown): void {
  const payload = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(payload)}\r\nconnection: close\r\n\r\n${payload}`,
    () => socket.destroy(),
  );
}

/** Echo a caller's request id when it is sane, else make one. */
function pickRequestId(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[\w.:-]{1,128}$/.test(value) ? value : randomUUID();
}

export function listen(server: http.Server, port: number, host: string): Promise<{ port: number }> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve({ port: typeof address === 'object' && address ? address.port : port });
    });
  });
}
