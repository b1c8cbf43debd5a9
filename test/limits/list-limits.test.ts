import {
  extendSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  print,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAppSchema } from '../../src/graphql/schema.js';
import { assertEveryListBounded, createListLimitChecker, LIST_LIMITS, listCoordinates } from '../../src/limits/list-limits.js';

const SCALAR_SAMPLES: Record<string, unknown> = {
  String: 'x',
  ID: 'x',
  Int: 1,
  Float: 1,
  Boolean: true,
  DateTime: '2026-01-01T00:00:00.000Z',
  JSON: {},
  UUID: '00000000-0000-4000-8000-000000000000',
};

/** The smallest value of `type` that coerces: required fields filled, lists empty. */
function sample(type: GraphQLInputType): unknown {
  const nullable = getNullableType(type) as GraphQLInputType;
  if (isListType(nullable)) return [];
  if (isEnumType(nullable)) return nullable.getValues()[0]!.value;
  if (isInputObjectType(nullable)) {
    return Object.fromEntries(Object.values(nullable.getFields()).filter((field) => isNonNullType(field.type)).map((field) => [field.name, sample(field.type)]));
  }
  if (!(nullable.name in SCALAR_SAMPLES)) throw new Error(`no sample for scalar ${nullable.name}: add one`);
  return SCALAR_SAMPLES[nullable.name];
}

interface Route {
  root: 'Query' | 'Mutation' | 'Subscription';
  field: GraphQLField<unknown, unknown>;
  argument: GraphQLArgument;
  /** Input field names from the argument's type down to the list. */
  path: string[];
}

/** A root field argument from which the list at `coordinate` is reachable, and the input fields down to it. */
function routeTo(schema: GraphQLSchema, coordinate: string): Route {
  const roots = [schema.getQueryType()!, schema.getMutationType()!, schema.getSubscriptionType()!];
  const argumentMatch = /^(\w+)\.(\w+)\((\w+):\)$/.exec(coordinate);
  if (argumentMatch) {
    const [, typeName, fieldName, argumentName] = argumentMatch;
    const field = roots.find((root) => root.name === typeName)!.getFields()[fieldName!]!;
    return { root: typeName as Route['root'], field, argument: field.args.find((argument) => argument.name === argumentName)!, path: [] };
  }
  const [typeName, fieldName] = coordinate.split('.') as [string, string];
  // Breadth-first from every root argument through input fields (list items included) to typeName.
  for (const root of roots) {
    for (const field of Object.values(root.getFields())) {
      for (const argument of field.args) {
        const queue: Array<{ type: string; path: string[] }> = [{ type: getNamedType(argument.type).name, path: [] }];
        const seen = new Set<string>();
        while (queue.length > 0) {
          const { type, path } = queue.shift()!;
          if (type === typeName) return { root: root.name as Route['root'], field, argument, path: [...path, fieldName] };
          const named = schema.getType(type);
          if (!isInputObjectType(named) || seen.has(type)) continue;
          seen.add(type);
          for (const inner of Object.values(named.getFields())) queue.push({ type: getNamedType(inner.type).name, path: [...path, inner.name] });
        }
      }
    }
  }
  throw new Error(`no root argument reaches ${coordinate}`);
}

/** An operation sending `items` items at `coordinate` as a variable, and the path the cap names. */
function operationWith(schema: GraphQLSchema, coordinate: string, items: number) {
  const route = routeTo(schema, coordinate);
  const variables: Record<string, unknown> = {};
  const declarations: string[] = [];
  const passed: string[] = [];
  for (const argument of route.field.args) {
    if (argument !== route.argument && !isNonNullType(argument.type)) continue;
    declarations.push(`$${argument.name}: ${argument.type.toString()}`);
    passed.push(`${argument.name}: $${argument.name}`);
    variables[argument.name] = sample(argument.type);
  }
  // Walk down the route, filling each level, and put `items` items in the list at its end.
  let type: GraphQLInputType = route.argument.type;
  let holder: Record<string, unknown> = variables;
  let key = route.argument.name;
  let path = route.argument.name;
  for (const fieldName of route.path) {
    let nullable = getNullableType(type) as GraphQLInputType;
    if (isListType(nullable)) {
      // Reached through a list of inputs: the first item carries the rest of the route.
      const item = sample(nullable.ofType);
      holder[key] = [item];
      holder = holder[key] as unknown as Record<string, unknown>;
      key = '0';
      path += '[0]';
      nullable = getNullableType(nullable.ofType) as GraphQLInputType;
    }
    if (!isInputObjectType(nullable)) throw new Error(`route to ${coordinate} passes a non-input type`);
    if (holder[key] === undefined || holder[key] === null || Array.isArray(holder[key])) holder[key] = sample(nullable);
    holder = holder[key] as Record<string, unknown>;
    key = fieldName;
    path += `.${fieldName}`;
    type = nullable.getFields()[fieldName]!.type;
  }
  const list = getNullableType(type);
  if (!isListType(list)) throw new Error(`${coordinate} is not a list`);
  const item = sample(list.ofType as GraphQLInputType);
  holder[key] = Array.from({ length: items }, () => structuredClone(item));
  const returned = getNamedType(route.field.type);
  const selection = isObjectType(returned) || !('serialize' in returned) ? ' { __typename }' : '';
  const source = `${route.root.toLowerCase()}(${declarations.join(', ')}) { ${route.field.name}(${passed.join(', ')})${selection} }`;
  const document = parse(source);
  return { document, operation: document.definitions[0] as OperationDefinitionNode, variables, path };
}

describe('every list argument is capped (LIST_LIMITS)', () => {
  let schema: GraphQLSchema;
  let check: ReturnType<typeof createListLimitChecker>;

  beforeAll(async () => {
    schema = await buildAppSchema();
    check = createListLimitChecker(schema);
  });

  it('names every list of the schema, and nothing else', () => {
    expect(Object.keys(LIST_LIMITS).sort()).toEqual(listCoordinates(schema));
    expect(listCoordinates(schema).length).toBeGreaterThanOrEqual(28);
  });

  it('refuses to build on a schema with a list that has no cap, or a cap that names no list', () => {
    const grown = extendSchema(schema, parse('extend input ConversationFilter { labels: [String!] }'));
    expect(() => assertEveryListBounded(grown)).toThrow('lists without a cap: ConversationFilter.labels.');
    expect(() => createListLimitChecker(grown)).toThrow('ConversationFilter.labels');
    expect(() => assertEveryListBounded(schema)).not.toThrow();
  });

  it('accepts each list at its cap and refuses it one past, naming where it is (variables)', () => {
    for (const coordinate of listCoordinates(schema)) {
      const cap = LIST_LIMITS[coordinate]!;
      const atCap = operationWith(schema, coordinate, cap);
      expect(check(atCap.document, atCap.operation, atCap.variables), `${coordinate} at its cap (${print(atCap.document)})`).toBeUndefined();
      const past = operationWith(schema, coordinate, cap + 1);
      expect(check(past.document, past.operation, past.variables), `${coordinate} past its cap`).toEqual({ field: past.path, maxItems: cap, items: cap + 1 });
    }
  });

  it('checks literals, lists inside list items, and fragments', () => {
    const channels = Array.from({ length: LIST_LIMITS['ConversationFilter.channels']! + 1 }, () => 'CHAT').join(' ');
    const literal = parse(`query { conversations(first: 1, filter: { channels: [${channels}] }) { totalCount } }`);
    expect(check(literal, literal.definitions[0] as OperationDefinitionNode, {})).toEqual({ field: 'filter.channels', maxItems: 100, items: 101 });

    const inFragment = parse(`query { ...F } fragment F on Query { events(first: 1, filter: { eventTypes: [${Array.from({ length: 101 }, () => 'SALE_MADE').join(' ')}] }) { totalCount } }`);
    expect(check(inFragment, inFragment.definitions[0] as OperationDefinitionNode, {})).toMatchObject({ field: 'filter.eventTypes', items: 101 });

    const bulk = parse('mutation($inputs: [IngestConversationInput!]!) { ingestConversations(inputs: $inputs) { externalId } }');
    const topics = Array.from({ length: 1_001 }, (_, index) => `t${index}`);
    const inputs = [{ externalId: 'a', channel: 'CHAT' }, { externalId: 'b', channel: 'CHAT', topics }];
    expect(check(bulk, bulk.definitions[0] as OperationDefinitionNode, { inputs })).toEqual({ field: 'inputs[1].topics', maxItems: 1_000, items: 1_001 });
    // Variables that do not coerce are left to execution, which names them.
    expect(check(bulk, bulk.definitions[0] as OperationDefinitionNode, { inputs: [{ externalId: 'a' }] })).toBeUndefined();
  });
});
