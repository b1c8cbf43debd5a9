import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Database } from '../database/database.js';
import type { Logger } from '../logging/logger.js';
import { sendJson } from './http-errors.js';

export interface HttpServerDependencies {
  database: Database;
  logger: Logger;
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
  return http.createServer((request, response) => {
    const requestId = pickRequestId(request.headers['x-request-id']);
    response.setHeader('x-request-id', requestId);
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    const handler = routes[`${request.method} ${pathname}`];
    if (!handler) {
      sendJson(response, 404, { error: { code: 'NOT_FOUND', message: `No route for ${request.method} ${pathname}` } });
      return;
    }
    handler(request, response, requestId).catch((error: unknown) => {
      dependencies.logger.error({ err: error, requestId }, 'request failed');
      if (!response.headersSent) sendJson(response, 500, { error: { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' } });
      else response.end();
    });
  });
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
