import { badUserInput } from '../errors/domain-error.js';

/**
 * The bounds every client-sent value is held to, in one place: whatever a request carries, the
 * work and the rows it causes stay bounded, and a value past a bound is BAD_USER_INPUT naming it
 * (never a database error such as PostgreSQL's index row size limit, never an internal error).
 */
export const INPUT_LIMITS = {
  /** Nesting of one JSON value (metadata, dynamic variables, function inputs/outputs, event payloads). */
  jsonDepth: 32,
  /** One JSON value, serialized. */
  jsonBytes: 256 * 1024,
  /** Identifiers and other indexed text (external ids, origins, names, phone numbers, function names). */
  identifierLength: 500,
} as const;

/** The nesting depth of a JSON value past `limit` levels, or undefined (walked without recursion). */
function depthPast(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(current as object)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** Why a JSON value is out of bounds, or undefined when it is within them. */
export function jsonBoundsViolation(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string' && value.length > INPUT_LIMITS.jsonBytes) return `a JSON value may be at most ${INPUT_LIMITS.jsonBytes} bytes`;
    return undefined;
  }
  if (depthPast(value, INPUT_LIMITS.jsonDepth)) return `a JSON value may nest objects and arrays at most ${INPUT_LIMITS.jsonDepth} levels deep`;
  if (Buffer.byteLength(JSON.stringify(value)) > INPUT_LIMITS.jsonBytes) return `a JSON value may be at most ${INPUT_LIMITS.jsonBytes} bytes`;
  return undefined;
}

/** Throws BAD_USER_INPUT naming `field` when a JSON value is out of bounds. */
export function requireJsonWithinBounds(value: unknown, field: string): void {
  const violation = jsonBoundsViolation(value);
  if (violation) throw badUserInput(`${field}: ${violation}`, { field, maxDepth: INPUT_LIMITS.jsonDepth, maxBytes: INPUT_LIMITS.jsonBytes });
}

/** Throws BAD_USER_INPUT when an optional indexed text is longer than the identifier cap. */
export function requireIdentifierLength(value: string | null | undefined, field: string): void {
  if (typeof value === 'string' && value.length > INPUT_LIMITS.identifierLength) {
    throw badUserInput(`${field} may be at most ${INPUT_LIMITS.identifierLength} characters`, { field, maxLength: INPUT_LIMITS.identifierLength });
  }
}

/** Free text (message content, summaries, reasons, error messages, URLs). */
export const MAX_TEXT_LENGTH = 100_000;
/** Items of one list inside a conversation (agents, contacts, actions, tickets, transfers, events, topics). */
export const MAX_LIST_ITEMS = 1_000;
/** A raw transcript as received (its turns are also bounded as messages). */
export const MAX_TRANSCRIPT_LENGTH = 1_000_000;
/** Messages (and agent actions) of one conversation. */
export const MAX_MESSAGES_PER_CONVERSATION = 10_000;
/** Conversations per ingestConversations call. */
export const MAX_BULK_CONVERSATIONS = 100;
/** Agents per upsertAgents call: each is one upsert inside one transaction. */
export const MAX_UPSERT_AGENTS = 500;

/** Throws BAD_USER_INPUT when an optional free text is longer than MAX_TEXT_LENGTH. */
export function requireTextLength(value: string | null | undefined, field: string, max: number = MAX_TEXT_LENGTH): void {
  if (typeof value === 'string' && value.length > max) throw badUserInput(`${field} may be at most ${max} characters`, { field, maxLength: max });
}

/** Throws BAD_USER_INPUT naming the cap when a list has more than `max` items. */
export function requireListLength(list: readonly unknown[] | null | undefined, field: string, max: number = MAX_LIST_ITEMS): void {
  if (list && list.length > max) throw badUserInput(`${field} may have at most ${max} items (got ${list.length})`, { field, maxItems: max });
}

type Bounds<T> = { identifiers?: Array<keyof T>; texts?: Array<keyof T>; json?: Array<keyof T> };

/** Checks the named fields of `item` (at `path`) against the identifier, text and JSON bounds. */
export function requireFieldsWithinBounds<T extends object>(item: T, path: string, bounds: Bounds<T>): void {
  const at = (field: keyof T) => (path ? `${path}.${String(field)}` : String(field));
  for (const field of bounds.identifiers ?? []) requireIdentifierLength(item[field] as string | null | undefined, at(field));
  for (const field of bounds.texts ?? []) requireTextLength(item[field] as string | null | undefined, at(field));
  for (const field of bounds.json ?? []) if (item[field] != null) requireJsonWithinBounds(item[field], at(field));
}
