import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { runScript } from './support/child-process.js';

describe('configuration', () => {
  it('defaults to the embedded database in ./.data on port 4000', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.nodeEnv).toBe('development');
    expect(config.database).toEqual({ kind: 'embedded', dataDir: path.resolve('./.data'), migrateOnStart: true });
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://app@db:5432/alma', DATABASE_POOL_SIZE: '20', MIGRATE_ON_START: 'false' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgresql://app@db:5432/alma', poolSize: 20, statementTimeoutMs: 30_000, migrateOnStart: false });
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).database.kind).toBe('embedded');
  });

  it('names every bad variable', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues.join('\n');
    expect(issues).toMatch(/^PORT: /m);
    expect(issues).toMatch(/^DATABASE_URL: must be a postgresql:\/\/ URL/m);
    expect(issues).toMatch(/^LOG_LEVEL: /m);
  });

  it('stops the process at boot with a message naming the variable', async () => {
    const run = await runScript('src/main.ts', { PORT: 'not-a-port', DATABASE_URL: '' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Invalid configuration');
    expect(run.stderr).toMatch(/PORT: /);
  });
});
