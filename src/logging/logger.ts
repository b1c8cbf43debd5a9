import { pino, type Logger } from 'pino';
import { redactDeep } from './redaction.js';

export type { Logger };

/**
 * JSON lines. Every logged object and every child logger's bindings go through `redactDeep`
 * (src/logging/redaction.ts): secrets are replaced at any depth, in errors too, so no call site
 * has to remember which paths may carry one.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'alma-analytics' },
      formatters: {
        log: (object) => redactDeep(object) as Record<string, unknown>,
        bindings: (bindings) => redactDeep(bindings) as pino.Bindings,
      },
      // Errors are serialized inside the redaction (with their causes), not after it.
      serializers: { err: (value: unknown) => value, error: (value: unknown) => value },
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
