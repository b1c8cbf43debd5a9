import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, describeDatabaseUrl } from '../src/logging/logger.js';

/** A logger at info whose lines are kept in `lines`. */
function capturedLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger('info', sink) };
}

describe('logs', () => {
  it('are JSON with secrets redacted', () => {
    const { lines, logger } = capturedLogger();
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

  it('redact secrets at any depth: inside errors, arrays, causes and strings', () => {
    const { lines, logger } = capturedLogger();
    const error = Object.assign(new Error('upstream failed', { cause: Object.assign(new Error('inner'), { config: { apiKey: 'sk-cause-secret' } }) }), {
      request: { headers: { authorization: 'Bearer deep-bearer-value', accept: 'application/json' } },
    });
    const input = { webhook: { secret: 'whsec_nested', url: 'https://hooks.example/x' }, list: [{ deeper: { token: 'tok-in-array' } }] };
    logger.error({ err: error, input, note: 'called with alma_abcdefghijklmnopqrstu and postgresql://app:hunter2@db/alma' }, 'boom');
    const entry = JSON.parse(lines[0]!) as Record<string, any>;
    expect(entry.err.message).toBe('upstream failed');
    expect(entry.err.request.headers).toEqual({ authorization: '[redacted]', accept: 'application/json' });
    expect(entry.err.cause.config.apiKey).toBe('[redacted]');
    expect(entry.input.webhook).toEqual({ secret: '[redacted]', url: 'https://hooks.example/x' });
    expect(entry.input.list[0].deeper.token).toBe('[redacted]');
    expect(entry.note).toBe('called with [redacted] and postgresql://app:[redacted]@db/alma');
    for (const secret of ['deep-bearer-value', 'sk-cause-secret', 'whsec_nested', 'tok-in-array', 'alma_abcdefghijklmnopqrstu', 'hunter2']) expect(lines[0]).not.toContain(secret);
    // The caller's objects are left as they were.
    expect(input.webhook.secret).toBe('whsec_nested');
    expect(error.request.headers.authorization).toBe('Bearer deep-bearer-value');
  });

  it('hide the password of a database URL', () => {
    expect(describeDatabaseUrl('postgresql://app:hunter2@db:5432/alma')).toBe('postgresql://app:***@db:5432/alma');
  });
});
