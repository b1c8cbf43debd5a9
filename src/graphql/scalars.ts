import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver, JSONResolver, UUIDResolver } from 'graphql-scalars';
import { writtenOffsetZone } from '../analysis/zoned-time.js';
import { jsonBoundsViolation } from '../limits/input-limits.js';

/** The non-zero UTC offset each DateTime input was written with, by the Date it parsed to. */
const writtenOffsets = new WeakMap<Date, string>();

function remember(written: unknown, parsed: Date): Date {
  const zone = typeof written === 'string' ? writtenOffsetZone(written) : null;
  if (zone) writtenOffsets.set(parsed, zone);
  return parsed;
}

/**
 * graphql-scalars' DateTime, unchanged on the wire; it also remembers the offset an input was
 * written with (`2026-05-04T09:30:00-03:00` → `-03:00`), which a Date alone loses.
 */
export const DateTimeScalar = new GraphQLScalarType<Date | null, unknown>({
  ...DateTimeResolver.toConfig(),
  parseValue: (value) => remember(value, DateTimeResolver.parseValue(value) as Date),
  parseLiteral: (ast, variables) => remember(ast.kind === Kind.STRING ? ast.value : null, DateTimeResolver.parseLiteral(ast, variables) as Date),
});

/** The zone a DateTime argument was written in, as a `±HH:MM` offset; null for Z, +00:00, or a Date not parsed from GraphQL input. */
export function writtenTimeZoneOf(date: Date | null | undefined): string | null {
  return date ? (writtenOffsets.get(date) ?? null) : null;
}

export const UUIDScalar = UUIDResolver;

function bounded(value: unknown): unknown {
  const violation = jsonBoundsViolation(value);
  if (violation) throw new GraphQLError(`Invalid JSON: ${violation}`, { extensions: { code: 'BAD_USER_INPUT' } });
  return value;
}

/**
 * graphql-scalars' JSON, held to the JSON bounds (src/limits) in variables and in literals: a
 * deeply nested or huge value is refused while the request is validated, before anything runs.
 */
export const JSONScalar = new GraphQLScalarType({
  ...JSONResolver.toConfig(),
  parseValue: (value) => bounded(JSONResolver.parseValue(value)),
  parseLiteral: (ast, variables) => bounded(JSONResolver.parseLiteral(ast, variables)),
});
