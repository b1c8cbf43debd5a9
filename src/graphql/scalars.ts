import { GraphQLError, GraphQLScalarType } from 'graphql';
import { DateTimeResolver, JSONResolver, UUIDResolver } from 'graphql-scalars';
import { jsonBoundsViolation } from '../limits/input-limits.js';

export const DateTimeScalar = DateTimeResolver;
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
