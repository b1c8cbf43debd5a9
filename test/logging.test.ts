import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, describeDatabaseUrl } from '../src/logging/logger.js';

describe('logs', () => {
  it('are JSON with secrets redacted', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info(
      { apiKey: 'alma_secret_value', headers: { authorization: 'Bearer abc', 'x-api-key': 'k' }, webhook: { secret: 'whsec_x' }, name: 'kept' },
      'hello',
    );
    const entry = JSON.parse(lines[0]!) as Record<string, any>;
    expect(entry.msg).toBe('hello');
    expect(entry.name).toBe('kept');
    expect(entry.apiKey).toBe('[redacted]');
    expect(entry.headers.authorization).toBe('[redacted]');
    expect(entry.headers['x-api-key']).toBe('[redacted]');
    expect(entry.webhook.secret).toBe('[redacted]');
    expect(lines[0]).not.toContain('alma_secret_value');
  });

  it('hide the password of a database URL', () => {
    expect(describeDatabaseUrl('postgresql://app:hunter2@db:5432/alma')).toBe('postgresql://app:***@db:5432/alma');
  });
});
