import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webAppRoutes } from '../../src/web-app/web-app.routes.js';
import type { Routes } from '../../src/server/http-server.js';
import { silentLogger } from '../support/silent-logger.js';

/** The /app routes over a directory of files, on a real HTTP server. */
async function serve(routes: Routes): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const handler = routes[`${request.method} ${new URL(request.url ?? '/', 'http://x').pathname}`];
    if (!handler) {
      response.writeHead(404).end();
      return;
    }
    void handler(request, response, 'test');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'web-app-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('web app routes', () => {
  it('answer 503 with what to run when the app is not built', async () => {
    const server = await serve(webAppRoutes({ logger: silentLogger, directory: path.join(directory, 'missing') }));
    const response = await fetch(`${server.url}/app/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run web:build');
    await server.close();
  });

  it('serve every built file with its type, revalidate the page, cache hashed assets and gzip on request', async () => {
    const built = path.join(directory, 'dist');
    await mkdir(path.join(built, 'assets'), { recursive: true });
    const script = `console.log(${JSON.stringify('x'.repeat(4000))});`;
    await writeFile(path.join(built, 'index.html'), '<!doctype html><script type="module" src="/app/assets/index-abc.js"></script>');
    await writeFile(path.join(built, 'assets', 'index-abc.js'), script);
    await writeFile(path.join(built, 'assets', 'index-abc.js.map'), '{}');
    const server = await serve(webAppRoutes({ logger: silentLogger, directory: built }));

    const page = await fetch(`${server.url}/app/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const etag = page.headers.get('etag')!;
    expect((await fetch(`${server.url}/app/`, { headers: { 'if-none-match': etag } })).status).toBe(304);

    const raw = await new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      http
        .get(`${server.url}/app/assets/index-abc.js`, { headers: { 'accept-encoding': 'gzip' } }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(raw.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(raw.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(gunzipSync(raw.body).toString()).toBe(script);

    expect((await fetch(`${server.url}/app/assets/index-abc.js.map`)).status).toBe(404); // source maps are not served
    const redirect = await fetch(`${server.url}/app`, { redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).toEqual([308, '/app/']);
    await server.close();
  });
});
