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
  'PERSISTED_QUERY_NOT_FOUND',
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
    if (CLIENT_CODES.has(code)) return { kind: 'client', reason: code };
  }
  return { kind: 'internal' };
}

/** True for errors the client sees only as INTERNAL_SERVER_ERROR (so they must be logged). */
export function isMaskedError(error: GraphQLError): boolean {
  return classify(error, error.extensions?.code).kind === 'internal';
}

/**
 * Two channels: expected errors keep their message and get a precise `extensions.code`;
 * anything else is masked as INTERNAL_SERVER_ERROR (and logged by the error-logging plugin).
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const classified = classify(error, formatted.extensions?.code);
  const where = { locations: formatted.locations, path: formatted.path };
  switch (classified.kind) {
    case 'domain':
      return { message: classified.message, ...where, extensions: { ...(classified.details ?? {}), code: classified.code } };
    case 'known':
      return formatted;
    case 'client':
      return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.BAD_USER_INPUT, reason: classified.reason } };
    case 'internal':
      return { message: 'Internal server error', ...where, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  }
}
