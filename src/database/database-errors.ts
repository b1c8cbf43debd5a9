import { DomainError, ErrorCode } from '../errors/domain-error.js';

/**
 * Maps a database failure to a DomainError by its PostgreSQL SQLSTATE, whichever path it took:
 * Prisma's known-request error (P2002…, with the driver's code in `meta`), the pg driver's error,
 * or PGlite's raw error. Returns undefined for anything that is not an expected data error.
 */
export function toDomainError(error: unknown): DomainError | undefined {
  if (error instanceof DomainError) return error;
  const sqlState = findSqlState(error);
  const prismaCode = findProperty(error, 'code', (value) => /^P\d{4}$/.test(value));
  const constraint = findConstraint(error);
  const details = constraint ? { constraint } : undefined;

  if (sqlState === '23505' || prismaCode === 'P2002') {
    return new DomainError(ErrorCode.CONFLICT, 'A record with the same unique key already exists', details, { cause: error });
  }
  if (sqlState === '23503' || prismaCode === 'P2003') {
    return new DomainError(ErrorCode.NOT_FOUND, 'A referenced record does not exist in this organization', details, {
      cause: error,
    });
  }
  if (prismaCode === 'P2025') {
    return new DomainError(ErrorCode.NOT_FOUND, 'Record not found', undefined, { cause: error });
  }
  if (sqlState === '23502' || sqlState === '23514' || sqlState === '22P02' || sqlState === '22001' || sqlState === '22003' || sqlState === '22007' || sqlState === '22008' || sqlState === '22021' || sqlState === '22P05') {
    return new DomainError(ErrorCode.BAD_USER_INPUT, 'A value is missing or not valid for its field', details, { cause: error });
  }
  // 54000: a value past a PostgreSQL limit (an index row over ~2700 bytes); 54001: nesting too deep for its stack.
  if (sqlState === '54000' || sqlState === '54001') {
    return new DomainError(ErrorCode.BAD_USER_INPUT, 'A value is too large or too deeply nested for its field', details, { cause: error });
  }
  // 57014 also for a statement cancelled on request: the HTTP request it ran for was abandoned by
  // its client (statement-cancellation.ts), or an operator ran pg_cancel_backend.
  if (sqlState === '57014' && mentions(error, /due to user request/)) {
    return new DomainError(ErrorCode.BAD_USER_INPUT, 'The database statement was cancelled before it finished (the request was abandoned by its client); send it again', details, { cause: error });
  }
  // 57014: the statement ran past DATABASE_STATEMENT_TIMEOUT_MS and PostgreSQL cancelled it.
  if (sqlState === '57014') {
    return new DomainError(ErrorCode.BAD_USER_INPUT, 'The request needed more database time than allowed (statement timeout); ask for less at once', details, { cause: error });
  }
  if (sqlState === '40001' || sqlState === '40P01') {
    return new DomainError(ErrorCode.CONFLICT, 'The write collided with a concurrent one; retry it', undefined, { cause: error });
  }
  return undefined;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

function findSqlState(error: unknown): string | undefined {
  return (
    findProperty(error, 'originalCode', (value) => SQLSTATE.test(value)) ??
    findProperty(error, 'code', (value) => SQLSTATE.test(value) && !/^P\d{4}$/.test(value))
  );
}

/** Every object reachable from the error through `cause`, `meta` and `driverAdapterError`. */
function* errorChain(error: unknown): Generator<Record<string, unknown>> {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (current === null || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const record = current as Record<string, unknown>;
    yield record;
    queue.push(record.cause, record.meta, record.driverAdapterError);
  }
}

/** Whether the driver's message (`message`, or Prisma adapters' `originalMessage`) anywhere in the chain matches. */
function mentions(error: unknown, pattern: RegExp): boolean {
  for (const record of errorChain(error)) {
    for (const key of ['message', 'originalMessage']) {
      const value = record[key];
      if (typeof value === 'string' && pattern.test(value)) return true;
    }
  }
  return false;
}

function findProperty(error: unknown, key: string, accept: (value: string) => boolean = () => true): string | undefined {
  for (const record of errorChain(error)) {
    const value = record[key];
    if (typeof value === 'string' && accept(value)) return value;
  }
  return undefined;
}

/** The violated constraint's name (pg: `constraint`; Prisma adapters: `constraint.index`/`.fields`; P2002: `meta.target`). */
function findConstraint(error: unknown): string | undefined {
  for (const record of errorChain(error)) {
    const value = record.constraint ?? record.target;
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return value.join(',');
    if (value && typeof value === 'object') {
      const { index, fields } = value as { index?: unknown; fields?: unknown };
      if (typeof index === 'string') return index;
      if (Array.isArray(fields)) return fields.join(',');
    }
  }
  return undefined;
}
