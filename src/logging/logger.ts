import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths that may carry secrets anywhere in a log line; pino replaces their values. */
export const redactedPaths = [
  'password',
  'secret',
  'apiKey',
  'token',
  'authorization',
  'databaseUrl',
  '*.password',
  '*.secret',
  '*.apiKey',
  '*.token',
  '*.authorization',
  '*.databaseUrl',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'headers["x-api-key"]',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'alma-analytics' },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** Removes the password from a connection URL so it can be logged. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
