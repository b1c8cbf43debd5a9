import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Logger } from '../logging/logger.js';
import type { Routes } from '../server/http-server.js';

/** Where `npm run web:build` writes the dashboard (web/vite.config.ts). */
export const defaultWebAppDir = fileURLToPath(new URL('../../web/dist', import.meta.url));
export const WEB_APP_PATH = '/app';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);

// Everything the page loads comes from this server; the only request it makes is POST /graphql.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

interface Asset {
  body: Buffer;
  gzipped?: Buffer;
  contentType: string;
  etag: string;
  cacheControl: string;
}

/**
 * `GET /app/` and every file of the built dashboard, read once at start. Hashed files under
 * assets/ are cached for a year; the page itself is revalidated on every load. Without a build,
 * `/app/` explains how to make one.
 */
export function webAppRoutes({ logger, directory = defaultWebAppDir }: { logger: Logger; directory?: string }): Routes {
  const indexFile = path.join(directory, 'index.html');
  if (!existsSync(indexFile)) {
    logger.warn({ directory }, 'the web app is not built (npm run web:build): /app answers 503');
    const notBuilt = async (_request: http.IncomingMessage, response: http.ServerResponse) => {
      const body = '<!doctype html><meta charset="utf-8"><title>Alma Analytics</title><p>The dashboard is not built. Run <code>npm run web:build</code> (or <code>npm install</code>) and restart the server.</p>';
      response.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS });
      response.end(body);
    };
    return { [`GET ${WEB_APP_PATH}`]: notBuilt, [`GET ${WEB_APP_PATH}/`]: notBuilt };
  }

  const routes = staticAssetRoutes(directory, WEB_APP_PATH, SECURITY_HEADERS);
  const index = routes[`GET ${WEB_APP_PATH}/index.html`]!;
  routes[`GET ${WEB_APP_PATH}/`] = index;
  // The page's assets are addressed under /app/, so /app itself is sent there.
  routes[`GET ${WEB_APP_PATH}`] = async (_request, response) => {
    response.writeHead(308, { location: `${WEB_APP_PATH}/`, 'cache-control': 'no-cache' });
    response.end();
  };
  return routes;
}

/**
 * A `GET` route per file of a built site in `directory`, under `mountPath`, read once. Hashed files
 * under assets/ are cached for a year, the rest revalidated; gzip when the client accepts it.
 */
export function staticAssetRoutes(directory: string, mountPath: string, securityHeaders: http.OutgoingHttpHeaders): Routes {
  const routes: Routes = {};
  for (const relative of readdirSync(directory, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(directory, relative);
    const extension = path.extname(file);
    const contentType = CONTENT_TYPES[extension];
    if (!contentType) continue; // directories, source maps and anything the page does not load
    const body = readFileSync(file);
    const asset: Asset = {
      body,
      gzipped: COMPRESSIBLE.has(extension) && body.length > 1024 ? gzipSync(body) : undefined,
      contentType,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      cacheControl: relative.startsWith(`assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    routes[`GET ${mountPath}/${relative.split(path.sep).join('/')}`] = serve(asset, securityHeaders);
  }
  return routes;
}

function serve(asset: Asset, securityHeaders: http.OutgoingHttpHeaders) {
  return async (request: http.IncomingMessage, response: http.ServerResponse) => {
    const headers: http.OutgoingHttpHeaders = { 'content-type': asset.contentType, 'cache-control': asset.cacheControl, etag: asset.etag, vary: 'accept-encoding', ...securityHeaders };
    if (request.headers['if-none-match'] === asset.etag) {
      response.writeHead(304, headers);
      response.end();
      return;
    }
    const gzip = asset.gzipped && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    const body = gzip ? asset.gzipped! : asset.body;
    response.writeHead(200, { ...headers, 'content-length': body.length, ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
    response.end(body);
  };
}
