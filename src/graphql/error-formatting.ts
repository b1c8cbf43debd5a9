import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { toDomainError } from '../database/database-errors.js';
import { ErrorCode } from '../errors/domain-error.js';

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR));
// Apollo's own request errors are all the client's fault.
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

type Classified =
  | { kind: 'domain'; code: ErrorCode; message: string; details?: Record<string, unknown> }
  | { kind: 'known'; code: string }
  | { kind: 'client'; reason: string }
  | { kind: 'internal' };

function classify(error: unknown, code: unknown): Classified {
  const domain = toDomainError(unwrapResolverError(error));
  if (domain && domain.code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    return { kind: 'domain', code: domain.code, message: domain.message, details: domain.details };
  }
  if (!domain && typeof code === 'string') {
    if (KNOWN_CODES.has(code)) return { kind: 'known', code };
    // The automatic-persisted-query protocol: clients resend the full query on this very code.
    if (code === 'PERSISTED_QUERY_NOT_FOUND') return { kind: 'known', code };
    if (CLIENT_CODES.has(code)) return { kind: 'client', reason: code };
  }
  // Apollo's request errors that carry an HTTP 4xx but no code (a persisted-query extension with an
  // unsupported version or a hash that does not match the query) are the client's too.
  if (!domain && ownCode(error) === undefined && clientHttpStatus(error)) return { kind: 'client', reason: 'BAD_REQUEST' };
  return { kind: 'internal' };
}

function ownCode(error: unknown): unknown {
  return (error as { extensions?: { code?: unknown } } | null)?.extensions?.code;
}

function clientHttpStatus(error: unknown): boolean {
  const status = (error as { extensions?: { http?: { status?: unknown } } } | null)?.extensions?.http?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** True for errors the client sees only as INTERNAL_SERVER_ERROR (so they must be logged). */
export function isMaskedError(error: GraphQLError): boolean {
  return classify(error, error.extensions?.code).kind === 'internal';
}

export interface ErrorFormattingOptions {
  /** Production: no schema names guessed for the client ("Did you mean …?" on fields, types, arguments, enum values). */
  hideSuggestions?: boolean;
}

/** Longest message a client gets back: graphql-js quotes a refused variable's value, which may be most of the body. */
export const MAX_ERROR_MESSAGE_LENGTH = 1_000;

const SUGGESTION = ' Did you mean ';

/**
 * graphql-js appends its guesses as the message's last sentence (" Did you mean the enum value
 * "X"?", " Did you mean "x" or "y"?"); without them the message still says what is wrong.
 */
export function withoutSuggestions(message: string): string {
  const at = message.lastIndexOf(SUGGESTION);
  return at === -1 || !message.endsWith('?') ? message : message.slice(0, at);
}

function bounded(message: string, options: ErrorFormattingOptions): string {
  const text = options.hideSuggestions ? withoutSuggestions(message) : message;
  if (text.length <= MAX_ERROR_MESSAGE_LENGTH) return text;
  // The quoted value sits in the middle; what is wrong with it comes last.
  const tail = Math.floor(MAX_ERROR_MESSAGE_LENGTH * 0.6);
  return `${text.slice(0, MAX_ERROR_MESSAGE_LENGTH - tail)}…${text.slice(-tail)}`;
}

/**
 * Two channels: expected errors keep their message and get a precise `extensions.code`;
 * anything else is masked as INTERNAL_SERVER_ERROR (and logged by the error-logging plugin).
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown, options: ErrorFormattingOptions = {}): GraphQLFormattedError {
  const classified = classify(error, formatted.extensions?.code);
  const where = { locations: formatted.locations, path: formatted.path };
  switch (classified.kind) {
    case 'domain':
      return { message: bounded(classified.message, options), ...where, extensions: { ...(classified.details ?? {}), code: classified.code } };
    case 'known':
      return { ...formatted, message: bounded(formatted.message, options) };
    case 'client':
      return {
        ...formatted,
        message: bounded(formatted.message, options),
        extensions: { ...formatted.extensions, code: ErrorCode.BAD_USER_INPUT, reason: classified.reason },
      };
    case 'internal':
      return { message: 'Internal server error', ...where, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  }
}
