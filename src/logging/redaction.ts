import { pino } from 'pino';

export const REDACTED = '[redacted]';

/**
 * Keys whose values are secrets wherever they appear, at any depth (`input.webhook.secret`,
 * `err.request.headers.authorization`, `config.openai.apiKey`). Matched without case, `-` or `_`.
 */
const SECRET_KEY = /^(password|passwd|pass|secret|\w*secret|apikey|xapikey|\w*token|authorization|proxyauthorization|cookie|setcookie|databaseurl|connectionstring|privatekey|credentials?)$/;

/** Values that are secrets whatever key holds them: API keys, bearer credentials, JWTs. */
const SECRET_VALUE = /\balma_[A-Za-z0-9_-]{16,}|\bBearer\s+[A-Za-z0-9._~+/=-]+|\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
/** The password of a connection URL (`postgresql://user:password@host`). */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^@\s/]+@/gi;

const MAX_DEPTH = 12;

const isSecretKey = (key: string) => SECRET_KEY.test(key.toLowerCase().replace(/[-_]/g, ''));

function redactString(value: string): string {
  return value.replace(SECRET_VALUE, REDACTED).replace(URL_PASSWORD, `$1${REDACTED}@`);
}

/**
 * A copy of `value` with every secret replaced, at every depth: secret-named keys, and strings
 * that carry a key, a bearer credential, a JWT or a URL password. Errors are serialized first
 * (pino's serializer, causes included) so their own properties are walked too. Never mutates
 * its input; cycles and very deep values are cut.
 */
export function redactDeep(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date || Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  try {
    if (value instanceof Error) return redactDeep(pino.stdSerializers.errWithCause(value), depth, seen);
    if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1, seen));
    if (value instanceof Map) return redactDeep(Object.fromEntries(value), depth, seen);
    if (value instanceof Set) return redactDeep([...value], depth, seen);
    // Headers and other objects that serialize themselves (toJSON) are walked as they would print.
    const source = typeof (value as { toJSON?: unknown }).toJSON === 'function' ? (value as { toJSON(): unknown }).toJSON() : value;
    if (source !== value) return redactDeep(source, depth, seen);
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = isSecretKey(key) && item !== null && item !== undefined ? REDACTED : redactDeep(item, depth + 1, seen);
    return copy;
  } finally {
    seen.delete(value);
  }
}
