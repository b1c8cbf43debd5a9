import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../support/silent-logger.js';
import { openTestDatabase, testDatabaseKind } from '../support/test-database.js';

let app: RunningApp;
let base: string;
beforeAll(async () => {
  const config = { ...loadConfig({ PORT: '0', HOST: '127.0.0.1' }) };
  app = await startApp(config, silentLogger, { database: await openTestDatabase() });
  base = `http://127.0.0.1:${app.port}`;
});
afterAll(async () => {
  await app?.stop();
});

describe('health endpoints', () => {
  it('GET /healthz answers while the process is up', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz reports the database reachable with every migration applied', async () => {
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: testDatabaseKind });
  });

  it('echoes a request id, or makes one', async () => {
    const echoed = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'req-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('req-123');
    const made = await fetch(`${base}/healthz`);
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with 404 and a code', async () => {
    const response = await fetch(`${base}/nope`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });
});
