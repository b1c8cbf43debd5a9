import { existsSync, readFileSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logging/logger.js';
import type { RouteHandler, Routes } from '../server/http-server.js';
import { staticAssetRoutes } from '../web-app/web-app.routes.js';

/** Where `npm run web:build` writes GraphiQL (web/graphiql.vite.config.ts). */
export const defaultGraphiQLDir = fileURLToPath(new URL('../../web/graphiql/dist', import.meta.url));
const GRAPHQL_PATH = '/graphql';

// Everything comes from this server; GraphiQL's stylesheet carries its fonts and icons as data: URLs.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/** A browser asking for a page (not a GraphQL GET request, which carries `query`). */
export function wantsIdePage(request: http.IncomingMessage): boolean {
  const accept = String(request.headers.accept ?? '');
  return accept.includes('text/html') && !new URL(request.url ?? '/', 'http://localhost').searchParams.has('query');
}

/**
 * `GET /graphql`: GraphiQL for browsers (built from the installed packages, no CDN), the API for
 * everything else; its assets under /graphql/assets/. Without a build the page says how to make one.
 */
export function graphiqlRoutes({ logger, api, directory = defaultGraphiQLDir }: { logger: Logger; api: RouteHandler; directory?: string }): Routes {
  const indexFile = path.join(directory, 'index.html');
  const built = existsSync(indexFile);
  if (!built) logger.warn({ directory }, 'GraphiQL is not built (npm run web:build): GET /graphql in a browser says so');
  const page = built ? readFileSync(indexFile) : Buffer.from('<!doctype html><meta charset="utf-8"><title>GraphiQL</title><p>GraphiQL is not built. Run <code>npm run web:build</code> (or <code>npm install</code>) and restart the server.</p>');
  const assets = built ? staticAssetRoutes(directory, GRAPHQL_PATH, SECURITY_HEADERS) : {};
  delete assets[`GET ${GRAPHQL_PATH}/index.html`];
  return {
    ...assets,
    [`GET ${GRAPHQL_PATH}`]: async (request, response, requestId) => {
      if (!wantsIdePage(request)) return api(request, response, requestId);
      response.writeHead(built ? 200 : 503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', vary: 'accept', ...SECURITY_HEADERS });
      response.end(page);
    },
  };
}
